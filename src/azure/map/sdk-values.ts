/** Small readers the mappers share for values the SDK models leave optional. */

/** The IDs of a list of sub-resource references, skipping those without one. */
export const ids = (list: readonly { id?: string }[] | undefined): string[] =>
  (list ?? []).map((item) => item.id).filter((id): id is string => typeof id === "string");

/** The last segment of a resource ID: its name when the model carries none. */
export const nameOf = (id: string): string => id.split("/").pop() ?? "";

/** The strings of a value that should be a string array (SDK typings and real payloads disagree). */
export const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
