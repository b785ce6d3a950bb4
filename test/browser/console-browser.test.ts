import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { AxeBuilder } from "@axe-core/playwright";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { computeDigest } from "../../src/core/evidence/digest.js";
import { launchChromium } from "../support/chromium.js";
import { startConsole, type ConsoleUnderTest } from "../support/console-under-test.js";

// A real browser: Debian's Chromium driven by playwright-core against the console on loopback.
jest.setTimeout(120_000);

// `npm run screenshots` points this at docs/screenshots; otherwise the pictures go to a temporary folder.
const screenshots =
  process.env.EGRESS_SCREENSHOTS_DIR ?? join(process.env.TMPDIR ?? "/tmp", "egress-console-screenshots");
mkdirSync(screenshots, { recursive: true });

let bot: ConsoleUnderTest;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;

/** A page with every page error, console error and request that leaves the server recorded. */
interface WatchedPage {
  readonly page: Page;
  readonly pageErrors: string[];
  readonly consoleErrors: string[];
  readonly foreignRequests: string[];
}

async function openConsole(): Promise<WatchedPage> {
  const page = await context.newPage();
  const watched: WatchedPage = { page, pageErrors: [], consoleErrors: [], foreignRequests: [] };
  page.on("pageerror", (error) => watched.pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") watched.consoleErrors.push(message.text());
  });
  page.on("request", (request) => {
    if (!request.url().startsWith(`${bot.base}/`) && !request.url().startsWith("data:"))
      watched.foreignRequests.push(request.url());
  });
  // Each page gets its own session (and thread): sessionStorage is per tab.
  await page.goto(`${bot.base}/`);
  await page.waitForSelector("body[data-ready=true]");
  return watched;
}

const cardDiagnostics = (page: Page) =>
  page.evaluate(
    () =>
      (window as unknown as { egressConsole: { diagnostics: { cardsRendered: number; events: string[] } } })
        .egressConsole.diagnostics,
  );
const noHorizontalScroll = (page: Page) =>
  page.evaluate(
    () => document.documentElement.scrollWidth <= window.innerWidth && document.body.scrollWidth <= window.innerWidth,
  );
const seriousViolations = async (page: Page) =>
  (await new AxeBuilder({ page }).analyze()).violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`,
    );

/** Records the text of every Teams card the page draws, so a test can see progress go by however fast. */
const recordCards = (page: Page) =>
  page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seenCards: string[] }).seenCards = seen;
    new MutationObserver((mutations) => {
      for (const mutation of mutations)
        for (const node of mutation.addedNodes)
          if (node instanceof HTMLElement && node.classList.contains("teams-card")) seen.push(node.innerText);
    }).observe(document.getElementById("thread") as HTMLElement, { childList: true, subtree: true });
  });
const seenCards = (page: Page) => page.evaluate(() => (window as unknown as { seenCards: string[] }).seenCards);

beforeAll(async () => {
  bot = await startConsole();
  browser = await launchChromium();
  context = browser.context;
});

afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

describe("the console in Chromium", () => {
  it("runs triage: live progress, then the summary card with REQUIRED_ENDPOINT_DENIED in both views; a next button runs the follow-up; the bundle downloads with a digest that verifies", async () => {
    const { page, pageErrors, consoleErrors, foreignRequests } = await openConsole();
    expect(await page.locator("#simulated-banner").isVisible()).toBe(true);
    const completions = await page
      .locator("#completions option")
      .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(completions).toEqual(expect.arrayContaining(["help ", "show cluster ", "triage ", "run whois "]));
    expect(await page.locator("#simulated-banner").innerText()).toContain("SIMULATED");
    await recordCards(page);

    await page.fill("#command", "triage aks-plant-prod");
    await page.press("#command", "Enter");
    const exchange = page.locator(".exchange").first();
    await exchange.locator(".download-json").waitFor();
    const cards = await seenCards(page);
    expect(cards.some((text) => /egress triage aks-plant-prod: running/.test(text))).toBe(true);
    expect(cards.at(-1)).toContain("REQUIRED_ENDPOINT_DENIED");
    expect(await exchange.locator(".teams-view").innerText()).toContain("REQUIRED_ENDPOINT_DENIED");
    expect(await exchange.locator(".slack-view").innerText()).toContain("REQUIRED_ENDPOINT_DENIED");
    expect(await exchange.locator(".teams-view").innerText()).toContain("SIMULATED");
    expect(await noHorizontalScroll(page)).toBe(true);

    // Each view is photographed at its findings and buttons, the part people act on.
    const showFindings = (view: string) =>
      page.evaluate((selector) => document.querySelectorAll(selector)[1]?.scrollIntoView({ block: "end" }), view);
    await page.locator("input[name=view][value=teams]").check();
    await showFindings(".exchange .teams-view .teams-card");
    await page.screenshot({ path: join(screenshots, "console-teams.png") });
    await page.locator("input[name=view][value=slack]").check();
    await showFindings(".exchange .slack-view .slack-message");
    await page.screenshot({ path: join(screenshots, "console-slack.png") });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator("input[name=view][value=both]").check();
    await page.screenshot({ path: join(screenshots, "console-both.png") });

    const [download] = await Promise.all([page.waitForEvent("download"), exchange.locator(".download-json").click()]);
    const bundle = JSON.parse(readFileSync(await download.path(), "utf8")) as Record<string, unknown> & {
      digest: string;
      runbook: { name: string };
    };
    expect(download.suggestedFilename()).toBe(`egress-triage-${String((bundle as { runId?: unknown }).runId)}.json`);
    expect(bundle.runbook.name).toBe("triage");
    expect(computeDigest(bundle)).toBe(bundle.digest);
    expect(await exchange.locator(".digest").innerText()).toBe(bundle.digest);
    // The egress path picture is drawn under the result (an SVG image the page does not parse).
    const picture = exchange.locator(".path-picture");
    await picture.waitFor();
    expect(await picture.evaluate((image) => (image as HTMLImageElement).naturalWidth)).toBeGreaterThan(100);
    const [markdown] = await Promise.all([
      page.waitForEvent("download"),
      exchange.locator(".download-markdown").click(),
    ]);
    expect(readFileSync(await markdown.path(), "utf8")).toContain("REQUIRED_ENDPOINT_DENIED");

    const nextButton = exchange.locator(".teams-view .ac-pushButton").first();
    const label = await nextButton.innerText();
    expect(label).not.toBe("");
    await nextButton.click();
    const followUp = page.locator(".exchange").nth(1);
    await followUp.locator(".download-json").waitFor();
    expect(await followUp.locator(".asked").innerText()).toMatch(/^button ›/);
    expect(await followUp.locator(".teams-view").innerText()).toMatch(/run (succeeded|partial|failed)/);

    const diagnostics = await cardDiagnostics(page);
    expect(diagnostics.cardsRendered).toBeGreaterThanOrEqual(4);
    expect(diagnostics.events).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("works from the keyboard alone: type a command, reach a next button with Tab, press Enter", async () => {
    const { page, pageErrors } = await openConsole();
    // From the top of the page, Tab until the command box has focus.
    for (
      let presses = 0;
      presses < 20 && (await page.evaluate(() => document.activeElement?.id)) !== "command";
      presses++
    )
      await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("command");
    await page.keyboard.type("triage aks-plant-prod");
    await page.keyboard.press("Enter");
    await page.locator(".exchange .download-json").first().waitFor();
    // The thread sits above the command box: Shift+Tab walks back into the reply to a `next` button.
    const onNextButton = () =>
      page.evaluate(() => {
        const active = document.activeElement;
        return (
          active instanceof HTMLButtonElement &&
          (active.classList.contains("ac-pushButton") || active.classList.contains("slack-button")) &&
          !/bundle/i.test(active.innerText)
        );
      });
    for (let presses = 0; presses < 150 && !(await onNextButton()); presses++) await page.keyboard.press("Shift+Tab");
    expect(await onNextButton()).toBe(true);
    await page.keyboard.press("Enter");
    await page.locator(".exchange").nth(1).locator(".download-json").waitFor();
    expect(await page.locator(".exchange").nth(1).locator(".asked").innerText()).toMatch(/^button ›/);
    // History: ↑ in the command box recalls the command typed before.
    await page.focus("#command");
    await page.keyboard.press("ArrowUp");
    expect(await page.inputValue("#command")).toBe("triage aks-plant-prod");
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("tries a runbook file: loads it, shows load errors with line and column after a bad save, and reloads when fixed", async () => {
    const { page, pageErrors } = await openConsole();
    const file = join(bot.runbookFolder, "cluster-summary.yaml");
    const good = readFileSync(file, "utf8");
    await page.selectOption("#runbook-file", "cluster-summary.yaml");
    await page.locator("#runbook-report .runbook-good").waitFor();
    expect(await page.inputValue("#command")).toBe("run cluster-summary cluster=");
    writeFileSync(file, `${good}\n  bogus: [\n`);
    await page.locator("#runbook-report .runbook-issues li").first().waitFor();
    expect(await page.locator("#runbook-report .runbook-issues").innerText()).toMatch(
      /cluster-summary\.yaml:\d+:\d+: /,
    );
    await page.screenshot({ path: join(screenshots, "console-runbook-error.png") });
    writeFileSync(file, good);
    await page.locator("#runbook-report .runbook-good").waitFor();
    await page.fill("#command", "run cluster-summary cluster=aks-plant-prod");
    await page.press("#command", "Enter");
    await page.locator(".exchange .download-json").first().waitFor();
    expect(await page.locator(".exchange .asked").first().innerText()).toContain("with cluster-summary.yaml");
    expect(pageErrors).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("switches worlds from the picker and labels the simulated one it reads", async () => {
    const { page } = await openConsole();
    await page.selectOption("#world", "file:udr.yaml");
    expect(await page.locator("#simulated-banner").innerText()).toContain("udr.yaml");
    await page.fill("#command", "show cluster aks-example");
    await page.press("#command", "Enter");
    await page.locator(".exchange .download-json").first().waitFor();
    expect(await page.locator(".exchange .teams-view").first().innerText()).toContain("show-cluster for aks-example");
    expect(await page.locator(".exchange .asked").first().innerText()).toContain("on udr.yaml");
    expect(await noHorizontalScroll(page)).toBe(true);
    // A reload keeps the tab's session: the thread is replayed from the server.
    await page.reload();
    await page.locator(".exchange .download-json").first().waitFor();
    expect(await page.locator(".exchange").count()).toBe(1);
    await page.close();
  });

  it("shows the fleet as a table sorted by any heading, with the CSV to download", async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${bot.base}/fleet`);
    await page.waitForSelector("body[data-ready=true]");
    expect(await page.locator("#summary").innerText()).toMatch(/^4 cluster\(s\), 7 node pool\(s\)/);
    expect(await page.locator("#simulated-banner").isVisible()).toBe(true);
    const firstCluster = () => page.locator("#fleet-table tbody tr td").first().innerText();
    expect(await page.locator("#fleet-table tbody tr").count()).toBe(7);
    expect(await firstCluster()).toBe("rg-analytics-prod/aks-analytics-prod");
    await page.getByRole("button", { name: /^CLUSTER/ }).click();
    expect(await firstCluster()).toBe("rg-plant-prod/aks-plant-prod");
    expect(await page.locator("th").first().getAttribute("aria-sort")).toBe("descending");
    await page.getByRole("button", { name: /^SOURCES/ }).click();
    expect(await page.locator("#fleet-table tbody tr td").nth(6).innerText()).toBe("20.31.18.40/30");
    expect(await page.locator("#download").getAttribute("href")).toBe("/console/api/fleet.csv?world=demo");
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
