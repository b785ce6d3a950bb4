// The conversation: one entry per command, holding the Teams and Slack renderings of its reply.
import type { ConsoleEvent } from "./console-protocol.js";
import { renderSlackMessage } from "./render-slack.js";
import { renderTeamsCard } from "./render-teams.js";

/** Where a reply's `next` buttons send their key, with the world and runbook file the reply ran in. */
export type NextHandler = (key: string, place: { world: string; runbookFile: string | null }) => void;

interface Reply {
  readonly place: { world: string; runbookFile: string | null };
  readonly teams: HTMLElement;
  readonly slack: HTMLElement;
  readonly notes: HTMLElement;
  teamsProgress: HTMLElement | null;
  slackProgress: HTMLElement | null;
}

const element = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

/** Draws console events into the thread list. */
export class Thread {
  private readonly replies = new Map<string, Reply>();

  constructor(
    private readonly list: HTMLElement,
    private readonly onNext: NextHandler,
    private readonly worldLabel: (id: string) => string,
  ) {}

  show(event: ConsoleEvent): void {
    if (event.type === "runbook") return;
    if (event.type === "command") {
      this.startReply(event);
      return;
    }
    const reply =
      this.replies.get(event.replyId) ??
      this.startReply({
        type: "command",
        replyId: event.replyId,
        text: "",
        via: "button",
        world: "",
        runbookFile: null,
      });
    const next = (key: string): void => this.onNext(key, reply.place);
    if (event.type === "private") {
      reply.notes.append(element("pre", "private-reply", event.text));
    } else if (event.type === "failure") {
      reply.notes.append(element("p", "failure", `Failed: ${event.text}`));
    } else if (event.type === "progress") {
      const card = renderTeamsCard(event.card, next);
      const slack = renderSlackMessage(event.slack, next);
      if (reply.teamsProgress) reply.teamsProgress.replaceWith(card);
      else reply.teams.append(card);
      if (reply.slackProgress) reply.slackProgress.replaceWith(slack);
      else reply.slack.append(slack);
      reply.teamsProgress = card;
      reply.slackProgress = slack;
    } else {
      for (const card of event.cards) reply.teams.append(renderTeamsCard(card, next));
      for (const message of event.slack) reply.slack.append(renderSlackMessage(message, (key) => next(key)));
      const downloads = element("p", "downloads");
      const json = element("a", "download-json", "Bundle (JSON)");
      json.href = event.downloads.json;
      // The server's Content-Disposition names the file (bundleFileName); `download` only asks to save it.
      json.setAttribute("download", "");
      const markdown = element("a", "download-markdown", "Bundle (Markdown)");
      markdown.href = event.downloads.markdown;
      markdown.setAttribute("download", "");
      downloads.append("Download: ", json, " · ", markdown, " · ", element("code", "digest", event.digest));
      reply.notes.append(downloads);
      if (event.picture) {
        // An <img> of a data URI (the page's CSP allows data: images): the SVG is shown, never parsed
        // into the page, so it cannot run anything.
        const picture = element("img", "path-picture");
        let binary = "";
        for (const byte of new TextEncoder().encode(event.picture)) binary += String.fromCharCode(byte);
        picture.src = `data:image/svg+xml;base64,${btoa(binary)}`;
        picture.alt = "Egress paths per node pool";
        reply.notes.append(picture);
      }
    }
  }

  private startReply(event: Extract<ConsoleEvent, { type: "command" }>): Reply {
    const item = element("article", "exchange");
    const asked = element("p", "asked");
    asked.append(
      element("span", "prompt", event.via === "button" ? "button ›" : "you ›"),
      " ",
      element("code", "asked-text", event.text),
    );
    if (event.world)
      asked.append(
        " ",
        element(
          "span",
          "where",
          `on ${this.worldLabel(event.world)}${event.runbookFile ? ` with ${event.runbookFile}` : ""}`,
        ),
      );
    const views = element("div", "views");
    const teams = element("section", "view teams-view");
    teams.setAttribute("aria-label", "As Teams shows it");
    teams.append(element("h3", "view-title", "Teams"));
    const slack = element("section", "view slack-view");
    slack.setAttribute("aria-label", "As Slack shows it");
    slack.append(element("h3", "view-title", "Slack"));
    views.append(teams, slack);
    const notes = element("div", "notes");
    item.append(asked, views, notes);
    this.list.append(item);
    const reply: Reply = {
      place: { world: event.world, runbookFile: event.runbookFile },
      teams,
      slack,
      notes,
      teamsProgress: null,
      slackProgress: null,
    };
    this.replies.set(event.replyId, reply);
    item.scrollIntoView({ block: "nearest" });
    return reply;
  }
}
