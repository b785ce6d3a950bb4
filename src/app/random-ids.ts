import { randomUUID } from "node:crypto";
import type { IdSource } from "../core/ports/ids.js";

/** Run ids from random UUIDs. */
export const randomIds: IdSource = { newRunId: () => randomUUID() };
