import { parentPort } from "node:worker_threads";
import { KqlUnsupportedError } from "./kql-ast.js";
import { kqlAstToText } from "./kql-ast-codec.js";
import { parseKql } from "./parse-kql.js";
import type { KqlParseReply, KqlParseRequest } from "./off-thread-kql-parser.js";

// The worker side of the off-thread parser: Microsoft's Kusto language service builds its grammar here,
// on first use, so a server's event loop never spends that second of CPU.
parentPort?.on("message", (request: KqlParseRequest) => {
  let reply: KqlParseReply;
  try {
    reply = { id: request.id, ast: kqlAstToText(parseKql(request.query)) };
  } catch (caught) {
    reply = {
      id: request.id,
      error: caught instanceof Error ? caught.message : String(caught),
      unsupported: caught instanceof KqlUnsupportedError,
    };
  }
  parentPort?.postMessage(reply);
});
