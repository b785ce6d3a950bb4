import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";

/** A 1-based position in a file. */
export interface Location {
  readonly line: number;
  readonly column: number;
}

/**
 * Finds where a path of keys and indexes sits in a parsed YAML document. With `atKey`, points at the
 * key of the last segment (for unknown or duplicate keys). Falls back to the deepest node that exists.
 */
export function locatePath(
  document: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  atKey = false,
): Location {
  let node: unknown = document.contents;
  let offset = document.contents?.range?.[0] ?? 0;
  for (let index = 0; index < path.length; index++) {
    const segment = path[index];
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      const keyNode = pair.key as Node;
      if (last && atKey && keyNode.range) {
        offset = keyNode.range[0];
        break;
      }
      node = pair.value;
      offset = (pair.value as Node | null)?.range?.[0] ?? keyNode.range?.[0] ?? offset;
    } else if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
      if (!node) break;
      offset = (node as Node).range?.[0] ?? offset;
    } else {
      break;
    }
  }
  const position = lineCounter.linePos(offset);
  return { line: position.line, column: position.col };
}
