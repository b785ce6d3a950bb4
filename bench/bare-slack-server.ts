import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer as createHttpServer } from "node:http";

/**
 * The baseline: a bare Node server that does what any Slack endpoint must before acking (read the
 * body, check the v0 HMAC signature and the timestamp) and nothing else. The bot's ack times are
 * reported beside its own, measured with the same client in the same run.
 */
export async function startBareServer(secret: string): Promise<{ base: string; close: () => Promise<void> }> {
  const server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const timestamp = String(request.headers["x-slack-request-timestamp"] ?? "");
      const expected = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
      const given = String(request.headers["x-slack-signature"] ?? "");
      const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
      const valid =
        fresh && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
      response.writeHead(valid ? 200 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
