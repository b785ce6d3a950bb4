// The JSON the console server and page exchange. Types only: imported by both sides, so the page
// and the server cannot drift apart.

/** One Slack message as the Slack adapter would post it: fallback text and Block Kit blocks. */
export interface SlackMessageView {
  readonly text: string;
  readonly blocks: readonly unknown[];
}

/** One step of a reply in the console thread, streamed over server-sent events. */
export type ConsoleEvent =
  | {
      readonly type: "command";
      readonly replyId: string;
      readonly text: string;
      readonly via: "typed" | "button";
      readonly world: string;
      readonly runbookFile: string | null;
    }
  | { readonly type: "private"; readonly replyId: string; readonly text: string }
  | { readonly type: "progress"; readonly replyId: string; readonly card: unknown; readonly slack: SlackMessageView }
  | {
      readonly type: "result";
      readonly replyId: string;
      /** The Teams cards (one, or several when Teams' size limit splits the answer). */
      readonly cards: readonly unknown[];
      /** The egress path picture (SVG), or null when the answer has no node pool paths. */
      readonly picture: string | null;
      readonly slack: readonly SlackMessageView[];
      readonly runId: string;
      readonly digest: string;
      readonly simulated: boolean;
      readonly downloads: { readonly json: string; readonly markdown: string };
    }
  | { readonly type: "failure"; readonly replyId: string; readonly text: string }
  | {
      readonly type: "runbook";
      readonly file: string;
      readonly name: string | null;
      readonly inputs: readonly string[];
      readonly issues: readonly RunbookIssueView[];
    };

/** A load problem of the runbook file being tried, where it is. */
export interface RunbookIssueView {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** A world the page may pick. */
export interface WorldChoice {
  /** What the page sends back: `demo`, `live`, or a file name in the worlds folder. */
  readonly id: string;
  readonly label: string;
  readonly simulated: boolean;
}

/** What the page needs to start: the choices, completion and labels. */
export interface ConsoleCatalog {
  readonly worlds: readonly WorldChoice[];
  readonly defaultWorld: string;
  /** Runbook files in the console's runbook folder, by file name. */
  readonly runbookFiles: readonly string[];
  readonly runbookFolder: string | null;
  /** Command usages for completion, e.g. `triage <cluster> [--dest <fqdn|ip>[:port]]`. */
  readonly commands: readonly { readonly words: string; readonly usage: string; readonly summary: string }[];
  /** Installed runbooks for `run <name>` completion. */
  readonly runbooks: readonly { readonly name: string; readonly title: string }[];
}

/** Body of `POST /console/api/commands`. */
export interface CommandRequest {
  readonly session: string;
  readonly text: string;
  readonly world: string;
  readonly runbookFile: string | null;
}

/** Body of `POST /console/api/buttons`. */
export interface ButtonRequest {
  readonly session: string;
  readonly key: string;
  /** The world and runbook file of the reply the button is on: the follow-up runs where the first run did. */
  readonly world: string;
  readonly runbookFile: string | null;
}

/** Body of `POST /console/api/runbook-file`: the runbook file to try (and watch), or none. */
export interface RunbookFileRequest {
  readonly session: string;
  readonly file: string | null;
}

/** `GET /console/api/fleet?world=<id>`: the fleet table for the Fleet page. */
export interface FleetPageData {
  readonly summary: string;
  readonly asOf: string;
  readonly simulated: boolean;
  readonly table: { readonly headers: readonly string[]; readonly rows: readonly (readonly string[])[] };
}
