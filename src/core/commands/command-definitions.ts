/** The kinds of value a command argument can take; each has one syntax check and one placeholder. */
export type ArgKind =
  | "cluster"
  | "duration"
  | "destination"
  | "ip"
  | "count"
  | "name"
  | "runbook"
  | "keyValue"
  | "path"
  | "paths"
  | "choice"
  | "subscription"
  | "switch"
  | "resourceId"
  | "command";

/** One positional argument or flag of a command. */
export interface ArgDefinition {
  /** The key in the parsed command's `args` (and the flag name, for flags). */
  readonly name: string;
  readonly kind: ArgKind;
  /** One line for `help <command>`. */
  readonly summary: string;
  /** Optional positionals are written `[<name>]`. */
  readonly optional?: boolean;
  /** For `choice`. */
  readonly choices?: readonly string[];
  /** For `count`: inclusive bounds. */
  readonly min?: number;
  readonly max?: number;
  /** For `duration`: the longest accepted, in ms and as written. */
  readonly maxInMs?: number;
  readonly maxText?: string;
  /** The flag must be given. */
  readonly required?: boolean;
}

/** Where a command may be used. */
export type Surface = "chat" | "cli";

/** Stable identifiers of the commands. */
export type CommandId =
  | "help"
  | "show-cluster"
  | "triage"
  | "source-ips"
  | "denies"
  | "whois"
  | "fleet"
  | "partners"
  | "partners-show"
  | "drift"
  | "drift-history"
  | "whatif"
  | "runbooks"
  | "run"
  | "runbook-lint"
  | "runbook-test"
  | "capture-cluster"
  | "audit"
  | "audit-verify"
  | "audit-export"
  | "doctor";

type KeyValues = Readonly<Record<string, string>>;

/**
 * The arguments each command parses to: clusters, durations, destinations and IPs as canonical
 * text, counts as numbers. Keys are the argument and flag names of {@link commandDefinitions}.
 */
export interface CommandArgsById {
  help: { command?: CommandId };
  "show-cluster": { cluster: string };
  triage: { cluster: string; dest?: string; since?: string };
  "source-ips": { cluster: string; partner?: string; record?: boolean };
  denies: { cluster: string; since?: string; dest?: string; top?: number };
  whois: { ip: string };
  fleet: { subscription?: string; "outbound-type"?: string };
  partners: Record<string, never>;
  "partners-show": { partner: string };
  drift: { "fail-on"?: "break" };
  "drift-history": { cluster: string };
  whatif: {
    cluster: string;
    "outbound-type": string;
    "nat-gateway"?: string;
    subnet?: string;
    "udr-to"?: string;
    pool?: string;
  };
  runbooks: Record<string, never>;
  run: { runbook: string; inputs?: KeyValues };
  "runbook-lint": { paths?: readonly string[] };
  "runbook-test": { file: string; inputs?: KeyValues };
  "capture-cluster": { cluster: string; out: string };
  audit: { since?: string };
  "audit-verify": Record<string, never>;
  "audit-export": { since?: string };
  doctor: Record<string, never>;
}

/** A command of the grammar: its words, arguments, flags and where it may be used. */
export interface CommandDefinition {
  readonly id: CommandId;
  /** The words that name it, e.g. `["show", "cluster"]`. */
  readonly words: readonly string[];
  readonly summary: string;
  readonly positionals: readonly ArgDefinition[];
  readonly flags: readonly ArgDefinition[];
  /** CLI-only commands are refused in chat. */
  readonly cliOnly?: boolean;
  /** The built-in runbook that answers the command, if any. */
  readonly runbook?: string;
}

/** AKS outbound types (`networkProfile.outboundType`), as the API spells them. */
export const outboundTypes = [
  "loadBalancer",
  "managedNATGateway",
  "userAssignedNATGateway",
  "userDefinedRouting",
  "none",
  "block",
] as const;

const thirtyDays = 30 * 86_400_000;
const cluster: ArgDefinition = {
  name: "cluster",
  kind: "cluster",
  summary: "a name, rg/name, subscription/rg/name, ARM ID or alias",
};
const since = (summary: string): ArgDefinition => ({
  name: "since",
  kind: "duration",
  summary,
  maxInMs: thirtyDays,
  maxText: "30d",
});
const dest: ArgDefinition = { name: "dest", kind: "destination", summary: "the destination, <fqdn|ip>[:port]" };

/** The whole grammar, in the order `help` lists it. Parser and help both read this table. */
export const commandDefinitions: readonly CommandDefinition[] = [
  {
    id: "help",
    words: ["help"],
    summary: "Show the commands, or how to use one.",
    positionals: [{ name: "command", kind: "command", summary: "a command name", optional: true }],
    flags: [],
  },
  {
    id: "show-cluster",
    words: ["show", "cluster"],
    summary: "Per node pool: how traffic leaves the cluster and which public IPs the world sees.",
    positionals: [cluster],
    flags: [],
    runbook: "show-cluster",
  },
  {
    id: "triage",
    words: ["triage"],
    summary: "Guided triage: gather the proof set, draw findings, suggest next steps.",
    positionals: [cluster],
    flags: [dest, since("how far back to read logs (default 1h, at most 30d)")],
    runbook: "triage",
  },
  {
    id: "source-ips",
    words: ["source-ips"],
    summary: "Partner-ready list of the cluster's public source addresses.",
    positionals: [cluster],
    flags: [
      { name: "partner", kind: "name", summary: "the partner the list is for" },
      {
        name: "record",
        kind: "switch",
        summary: "record the list as handed to the partner (with --partner; the partner registry)",
      },
    ],
    runbook: "source-ips",
  },
  {
    id: "denies",
    words: ["denies"],
    summary: "Azure Firewall denies from the cluster's subnets.",
    positionals: [cluster],
    flags: [
      since("how far back (default 1h, at most 30d)"),
      dest,
      { name: "top", kind: "count", summary: "how many destinations to list (1-100, default 20)", min: 1, max: 100 },
    ],
    runbook: "denies",
  },
  {
    id: "whois",
    words: ["whois"],
    summary: "Which cluster, NAT gateway, firewall or load balancer owns a public IP.",
    positionals: [{ name: "ip", kind: "ip", summary: "an IPv4 or IPv6 address" }],
    flags: [],
    runbook: "whois",
  },
  {
    id: "fleet",
    words: ["fleet"],
    summary: "Every cluster's egress per node pool and its public sources, from one Resource Graph inventory.",
    positionals: [],
    flags: [
      { name: "subscription", kind: "subscription", summary: "only this subscription ID" },
      {
        name: "outbound-type",
        kind: "choice",
        choices: outboundTypes,
        summary: "only clusters with this outbound type",
      },
    ],
    runbook: "fleet",
  },
  {
    id: "partners",
    words: ["partners"],
    summary: "What every partner allowlists: the latest handover per partner and cluster.",
    positionals: [],
    flags: [],
    runbook: "partners",
  },
  {
    id: "partners-show",
    words: ["partners", "show"],
    summary: "A partner's onboarding document: its allowlists, their grades and paths, and every handover.",
    positionals: [{ name: "partner", kind: "name", summary: "the partner's name (quote it if it has spaces)" }],
    flags: [],
    runbook: "partners-show",
  },
  {
    id: "drift",
    words: ["drift"],
    summary: "What changed in the fleet's egress, and which partner allowlists it breaks or leaves idle.",
    positionals: [],
    flags: [
      {
        name: "fail-on",
        kind: "choice",
        choices: ["break"],
        summary: "exit 1 when a partner's allowlist breaks (a CI gate; in chat the answer says it would)",
      },
    ],
    runbook: "drift",
  },
  {
    id: "drift-history",
    words: ["drift", "history"],
    summary: "The egress snapshots the drift watch kept for a cluster, newest first.",
    positionals: [cluster],
    flags: [],
    runbook: "drift-history",
  },
  {
    id: "whatif",
    words: ["whatif"],
    summary: "Resolve an egress change in memory: the paths before and after, and what would break.",
    positionals: [cluster],
    flags: [
      {
        name: "outbound-type",
        kind: "choice",
        choices: outboundTypes,
        summary: "the outbound type after the change",
        required: true,
      },
      { name: "nat-gateway", kind: "resourceId", summary: "a NAT gateway (ARM ID) on the node subnet" },
      { name: "subnet", kind: "resourceId", summary: "a subnet (ARM ID) the nodes move to" },
      { name: "udr-to", kind: "ip", summary: "the private IP 0.0.0.0/0 is routed to (a firewall or appliance)" },
      { name: "pool", kind: "name", summary: "only this node pool (default: every pool)" },
    ],
    runbook: "whatif",
  },
  { id: "runbooks", words: ["runbooks"], summary: "List the installed runbooks.", positionals: [], flags: [] },
  {
    id: "run",
    words: ["run"],
    summary: "Run any installed runbook with inputs.",
    positionals: [
      { name: "runbook", kind: "runbook", summary: "the runbook's name" },
      { name: "inputs", kind: "keyValue", summary: "inputs as key=value", optional: true },
    ],
    flags: [],
  },
  {
    id: "runbook-lint",
    words: ["runbook", "lint"],
    summary: "Validate runbook files; every problem is printed as file:line:col.",
    positionals: [
      { name: "paths", kind: "paths", summary: "files or folders (default: the built-in runbooks)", optional: true },
    ],
    flags: [],
    cliOnly: true,
  },
  {
    id: "runbook-test",
    words: ["runbook", "test"],
    summary: "Run one runbook file against a world.",
    positionals: [
      { name: "file", kind: "path", summary: "the runbook file" },
      { name: "inputs", kind: "keyValue", summary: "inputs as key=value", optional: true },
    ],
    flags: [],
    cliOnly: true,
  },
  {
    id: "capture-cluster",
    words: ["capture", "cluster"],
    summary: "Record what a run reads into a world file for replay.",
    positionals: [cluster],
    flags: [{ name: "out", kind: "path", summary: "the world file to write", required: true }],
    cliOnly: true,
  },
  {
    id: "audit",
    words: ["audit"],
    summary: "List the command audit records.",
    positionals: [],
    flags: [since("how far back (default 7d, at most 30d)")],
    cliOnly: true,
  },
  {
    id: "audit-verify",
    words: ["audit", "verify"],
    summary: "Check the audit's hash chain and name the first broken link.",
    positionals: [],
    flags: [],
    cliOnly: true,
  },
  {
    id: "audit-export",
    words: ["audit", "export"],
    summary: "Write the audit ledger as JSON lines (for a SIEM), hashes included.",
    positionals: [],
    flags: [since("how far back (default: everything; at most 30d)")],
    cliOnly: true,
  },
  {
    id: "doctor",
    words: ["doctor"],
    summary: "Check identity, cloud, subscriptions, permissions and chat settings.",
    positionals: [],
    flags: [],
    cliOnly: true,
  },
];

/** Flags every CLI command accepts. */
export const cliGlobalFlags: readonly ArgDefinition[] = [
  {
    name: "output",
    kind: "choice",
    choices: ["text", "json", "markdown", "csv"],
    summary: "output format (default text; csv where the result is a table)",
  },
  { name: "world", kind: "path", summary: "simulated Azure: a world file, or demo" },
  {
    name: "fail-on",
    kind: "choice",
    choices: ["error", "warning"],
    summary: "exit 1 when findings reach this severity",
  },
];

/** The placeholder shown in usage lines for each kind of value. */
export const placeholders: Readonly<Record<ArgKind, string>> = {
  cluster: "<cluster>",
  duration: "<duration>",
  destination: "<fqdn|ip>[:port]",
  ip: "<ip>",
  count: "<n>",
  name: "<name>",
  runbook: "<runbook>",
  keyValue: "[key=value ...]",
  path: "<file>",
  paths: "[paths ...]",
  choice: "<choice>",
  subscription: "<subscription-id>",
  switch: "",
  resourceId: "<id>",
  command: "<command>",
};
