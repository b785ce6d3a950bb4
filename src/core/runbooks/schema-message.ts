import type { z } from "zod";

/** A schema issue as a short sentence: zod's "Invalid input:" prefixes dropped, missing fields called required. */
export function schemaMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && /received undefined/.test(issue.message)) return "is required";
  if (issue.code === "unrecognized_keys") return `unknown key ${issue.keys.map((key) => `"${key}"`).join(", ")}`;
  return issue.message.replace(/^Invalid (input|option): /, "");
}
