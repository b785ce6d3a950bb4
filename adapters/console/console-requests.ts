import type { Request, Response } from "express";
import { z } from "zod";
import type { ButtonRequest, CommandRequest, RunbookFileRequest } from "./web/console-protocol.js";

// What the console's API accepts. Strict objects: an unknown field is a mistake worth naming.

/** A browser tab's session ID (the page makes one with crypto.randomUUID). */
export const sessionId = z.string().regex(/^[\w-]{8,64}$/, "a session ID is 8 to 64 letters, digits, - or _");
const fileName = z.string().min(1).max(255);

export const commandBody: z.ZodType<CommandRequest> = z.strictObject({
  session: sessionId,
  text: z.string().max(4000, "a command is at most 4000 characters"),
  world: z.string().max(300),
  runbookFile: fileName.nullable(),
});
export const buttonBody: z.ZodType<ButtonRequest> = z.strictObject({
  session: sessionId,
  key: z.string().min(1).max(100),
  world: z.string().max(300),
  runbookFile: fileName.nullable(),
});
export const runbookFileBody: z.ZodType<RunbookFileRequest> = z.strictObject({
  session: sessionId,
  file: fileName.nullable(),
});

/** The request's JSON body checked against `schema`; on a mismatch, answers 400 naming every problem. */
export function parseBody<T>(schema: z.ZodType<T>, request: Request, response: Response): T | null {
  const parsed = schema.safeParse(request.body);
  if (parsed.success) return parsed.data;
  response.status(400).json({
    error: parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; "),
  });
  return null;
}
