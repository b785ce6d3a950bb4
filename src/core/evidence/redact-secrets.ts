/** What replaces a secret value. */
export const redacted = "[redacted]";

// Keys whose values are credentials or could be: passwords, secrets, tokens, keys, SAS and connection strings.
const secretKey =
  /(secret|password|passwd|token|credential|connectionstring|sastoken|^sas|privatekey|keydata|^keys?$|publickeys|kubeconfig|certificate|authorization)/i;

/** A deep copy of a JSON value with every secret-looking field replaced by {@link redacted}. */
export function redactSecrets<T>(value: T): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== "object") return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, entry]) => [
        key,
        secretKey.test(key) && entry !== null && entry !== false ? redacted : walk(entry),
      ]),
    );
  };
  return walk(value) as T;
}
