import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** Debian's Chromium, which `.ci/run` installs with apt (tests never download a browser). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** A headless Chromium with a fresh profile and no background traffic to Google's services. */
export async function launchChromium(
  viewport = { width: 1366, height: 768 },
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!existsSync(chromiumPath))
    throw new Error(
      `Chromium is not at ${chromiumPath}: install Debian's package (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`,
    );
  const profile = mkdtempSync(join(tmpdir(), "egress-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport,
    acceptDownloads: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
