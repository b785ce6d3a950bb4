/** What replaces a secret value. */
export const redacted = "[redacted]";

/**
 * Keys whose values are credentials or could be: passwords, secrets, tokens, keys (shared, primary,
 * secondary, API, account, access, private), SAS, signatures, connection strings, certificates.
 * Azure spells the same thing many ways (`sharedKey`, `primaryKey`, `AccountKey`, `sasToken`), so
 * the pattern matches the words wherever they stand in a key.
 */
const secretKey =
  /(secret|password|passwd|pwd$|token|credential|connectionstring|sas(token|url|uri|key)?$|^sas|signature|(shared|primary|secondary|api|account|access|private|auth|subscription|instrumentation|storage|master|admin)_?key|keydata|^keys?$|publickeys|kubeconfig|certificate|pfx|authorization|cookie)/i;

/**
 * Value shapes that are secrets wherever they appear, even under an innocent key (a URL in a log
 * row, a string in a tag): each is replaced inside the string, so the rest of the text stays readable.
 */
const secretShapes: readonly [RegExp, string][] = [
  // PEM blocks: private keys and certificates.
  [/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g, redacted],
  // Connection strings: the secret part and everything after it up to the next separator.
  [
    /((?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|InstrumentationKey|AccessKey)\s*=)[^;"'\s]+/gi,
    `$1${redacted}`,
  ],
  // SAS and signed URLs: the signature parameter.
  [/([?&](?:sig|signature|code|token|access_token)=)[^&#\s"']+/gi, `$1${redacted}`],
  // JSON Web Tokens (Entra access tokens, Bot Framework tokens).
  [/\beyJ[\w-]{5,}\.eyJ[\w-]{5,}\.[\w-]+/g, redacted],
  // Authorization header values.
  [/\b(Bearer|Basic|SharedKey)\s+[\w+/=.:-]{8,}/g, `$1 ${redacted}`],
  // Slack and GitHub tokens.
  [/\bxox[abposr]-[\w-]{10,}/g, redacted],
  [/\bxapp-[\w-]{10,}/g, redacted],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, redacted],
  // Storage account keys and other 256/512-bit base64 keys standing alone.
  [/(^|[^A-Za-z0-9+/])[A-Za-z0-9+/]{43}=(?![A-Za-z0-9+/=])/g, `$1${redacted}`],
  [/(^|[^A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])/g, `$1${redacted}`],
];

/** A string with every secret-shaped part replaced by {@link redacted}. */
export function redactSecretText(text: string): string {
  return secretShapes.reduce((current, [shape, replacement]) => current.replace(shape, replacement), text);
}

/**
 * A deep copy of a JSON value with every secret-looking field replaced by {@link redacted}, and
 * secret-shaped text inside every other string replaced too. Values that say nothing (null, false,
 * empty) are kept, so a capture still shows that a setting is off.
 */
export function redactSecrets<T>(value: T): T {
  const walk = (node: unknown): unknown => {
    if (typeof node === "string") return redactSecretText(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== "object") return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, entry]) => [
        key,
        secretKey.test(key) && entry !== null && entry !== false && entry !== "" ? redacted : walk(entry),
      ]),
    );
  };
  return walk(value) as T;
}
