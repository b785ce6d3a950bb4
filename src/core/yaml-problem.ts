/**
 * A YAML parse failure as one line a person can act on. The parser reports a document nested deeper
 * than the call stack allows as the engine's own "Maximum call stack size exceeded", and an alias bomb
 * as "Excessive alias count …": both are said in the reader's terms.
 */
export function describeYamlProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/maximum call stack size exceeded/i.test(message))
    return "the document is nested too deeply to read (thousands of levels; a real one needs a few)";
  if (/excessive alias count/i.test(message))
    return "the document expands its aliases too many times (an alias bomb?); at most 100 alias uses are read";
  return message.split("\n")[0] ?? "";
}
