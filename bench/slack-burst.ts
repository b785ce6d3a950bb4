import { spawn } from "node:child_process";
import { join } from "node:path";
import { findPackageRoot } from "../src/app/package-root.js";

/**
 * Sends `count` signed slash commands (`text`) at once from a separate process (`slack-burst-client`,
 * so its event loop doesn't share time with the server's) and returns each ack time in ms.
 */
export async function slackBurst(
  base: string,
  secret: string,
  count: number,
  text: string,
  prefix: string,
): Promise<number[]> {
  const child = spawn(
    process.execPath,
    [join(findPackageRoot(), "dist", "bench", "slack-burst-client.js"), base, secret, String(count), text, prefix],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`burst client exited ${code}`);
  return JSON.parse(output) as number[];
}
