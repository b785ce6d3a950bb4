import pLimit, { type LimitFunction } from "p-limit";
import { authorize, type AuthorizationPolicy, type Requester } from "../../core/auth/policy.js";
import { identityOfReference, readClusterReference, type ClusterIdentity } from "../../core/azure/cluster-reference.js";
import { formatCommandLine } from "../../core/commands/format-command.js";
import { parseCommand, type ParsedCommand } from "../../core/commands/parse-command.js";
import { renderHelp } from "../../core/commands/render-help.js";
import { isEgressError } from "../../core/errors.js";
import type { EvidenceBundle, RequestedBy } from "../../core/evidence/bundle.js";
import type { RunEvent } from "../../core/engine/run-events.js";
import type { Clock } from "../../core/ports/clock.js";
import { RunHandedBack } from "../../core/ports/run-queue.js";
import type { ButtonContext, RateWindow, RunningRecord, StateStore } from "../../core/ports/state-store.js";
import { formatBundleMarkdown } from "../../core/views/bundle-markdown.js";
import { buildAnswerView } from "../../core/views/answer-view.js";
import type { CommandResult, EgressService } from "../create-service.js";
import type { ChatSurface, ProgressView } from "./chat-surface.js";
import { ProgressPacer } from "./progress-pacer.js";

/** How long a `next` button keeps working. */
export const buttonTtlInMs = 7 * 24 * 60 * 60 * 1000;

/** Settings of {@link ChatCommandHandler}. */
export interface ChatHandlerOptions {
  readonly service: EgressService;
  readonly store: StateStore;
  readonly clock: Pick<Clock, "now">;
  readonly authorization: AuthorizationPolicy | null;
  readonly aliases: Readonly<Record<string, string>>;
  readonly rateLimits: { readonly perUser: RateWindow; readonly perChannel: RateWindow };
  /** Minimum gap between progress edits. @default 1500 */
  readonly progressIntervalInMs?: number;
  /** Makes a short, unguessable button key. */
  readonly newKey: () => string;
  /** Told when a command has been answered (run, refused, help), for metrics and logs. */
  readonly onRunFinished?: (outcome: RunOutcome) => void;
  /**
   * Runs this process works at once; the others wait (their progress message already posted). A
   * burst of commands then queues instead of splitting the CPU two hundred ways. @default 16
   */
  readonly maxConcurrentRuns?: number;
}

/** What became of one chat command. */
export interface RunOutcome {
  readonly platform: RequestedBy["platform"];
  readonly runbook: string | null;
  readonly status: EvidenceBundle["status"] | "refused" | "interrupted" | "help";
  readonly bundle: EvidenceBundle | null;
}

/** Who typed the command and where the answer goes. */
export interface ChatRequest {
  readonly requester: Requester;
  readonly thread: string | null;
  readonly text: string;
  readonly abortSignal?: AbortSignal;
  /** Set when the run queue gave this command to this replica: its record and attempt. */
  readonly queued?: QueuedAttempt;
}

/** One attempt at a queued command, as the replica that took it answers it. */
export interface QueuedAttempt {
  /** The run's record: as queued, or as an earlier attempt noted it (its thread and progress message). */
  readonly record: RunningRecord;
  /** 0 first; 1 and up when the replica running it stopped and this one took it over. */
  readonly attempt: number;
  /** Aborted when this replica gives the run back: it ends unanswered, for another replica to answer. */
  readonly handBack: AbortSignal;
  /** True while this attempt still holds the run's lease (asked just before answering). */
  readonly stillHeld: () => Promise<boolean>;
}

/**
 * The chat flow shared by Slack and Teams: parse, refuse politely (usage, rate limit, authorization),
 * run with one paced progress message, then post the summary, details and bundle into the thread.
 * Everything the user typed reaches replies only through the grammar's canonical form.
 */
export class ChatCommandHandler {
  /** The runs this process is running, kept so their heartbeat can be refreshed in the store. */
  private readonly live = new Map<string, RunningRecord>();

  /** Bounds the runs in progress (see {@link ChatHandlerOptions.maxConcurrentRuns}). */
  private readonly slots: LimitFunction;

  constructor(private readonly options: ChatHandlerOptions) {
    this.slots = pLimit(options.maxConcurrentRuns ?? 16);
  }

  /**
   * Says in the store that this process's runs are still running (`heartbeatAt`): on a shared store,
   * another replica takes a run for interrupted only when its heartbeat has stopped.
   */
  async heartbeat(): Promise<void> {
    const at = new Date(this.options.clock.now()).toISOString();
    for (const record of [...this.live.values()]) await this.options.store.startRun({ ...record, heartbeatAt: at });
  }

  /** What a `next` button's key stands for, or what to tell the clicker when it is gone. */
  async buttonFor(key: string): Promise<{ readonly context: ButtonContext } | { readonly refusal: string }> {
    const lookup = await this.options.store.getButton(key, this.options.clock.now());
    if (lookup.kind === "found") return { context: lookup.context };
    return {
      refusal:
        lookup.kind === "expired"
          ? "This button has expired. Run the command again to get fresh buttons."
          : "This button is not known to this bot (it may come from another installation).",
    };
  }

  /** Handles one command text end to end; never throws (failures are posted). Every outcome, refusals and help included, is reported to `onRunFinished`. */
  async handle(request: ChatRequest, surface: ChatSurface): Promise<RunOutcome> {
    const outcome = await this.answer(request, surface);
    this.options.onRunFinished?.(outcome);
    return outcome;
  }

  private async answer(request: ChatRequest, surface: ChatSurface): Promise<RunOutcome> {
    const { requester } = request;
    const refused = (runbook: string | null): RunOutcome => ({
      platform: requester.platform,
      runbook,
      status: "refused",
      bundle: null,
    });
    const parsed = parseCommand(request.text, { surface: "chat" });
    if (!parsed.ok) {
      await surface.replyPrivately(`${parsed.error.reason}\n${parsed.error.usage}`);
      await this.audit(request, null, null, "invalid");
      return refused(null);
    }
    const command = parsed.command;
    if (command.id === "help") {
      await surface.replyPrivately(renderHelp("chat", command.args.command));
      return { platform: requester.platform, runbook: null, status: "help", bundle: null };
    }
    const runbook = command.id === "run" ? command.args.runbook : (command.definition.runbook ?? null);
    const now = this.options.clock.now();
    // A resumed attempt was counted when it was first taken.
    const limited = (request.queued?.attempt ?? 0) > 0 ? null : await this.takeRate(requester, now);
    if (limited) {
      await surface.replyPrivately(limited);
      await this.audit(request, command, runbook, "refused");
      return refused(runbook);
    }
    const notAllowed = await this.authorizationRefusal(request, command, runbook);
    if (notAllowed) {
      await surface.replyPrivately(notAllowed);
      await this.audit(request, command, runbook, "refused");
      return refused(runbook);
    }
    return this.run(request, command, runbook, surface);
  }

  /**
   * What the requester would be told instead of a run, decided before anything is announced: a usage
   * hint for text that is not a command, or why the policy refuses it; null when it would run (help
   * included). Rate limits are not taken here. For platforms that must answer a click at once
   * (Teams' invoke response) without promising a run that a check then refuses.
   */
  async precheck(request: ChatRequest): Promise<string | null> {
    const parsed = parseCommand(request.text, { surface: "chat" });
    if (!parsed.ok) return `${parsed.error.reason}\n${parsed.error.usage}`;
    if (parsed.command.id === "help") return null;
    return this.authorizationRefusal(request, parsed.command, runbookOf(parsed.command));
  }

  private async authorizationRefusal(
    request: ChatRequest,
    command: ParsedCommand,
    runbook: string | null,
  ): Promise<string | null> {
    if (!runbook) return null;
    const clusterText = clusterArgument(command);
    const cluster = this.options.authorization && clusterText ? await this.identify(clusterText, request) : null;
    // Recording a handover is a grant of its own (`record-partner`), on top of running source-ips:
    // who may hand a cluster's addresses to a partner is narrower than who may look at them.
    const asked = [runbook, ...(command.id === "source-ips" && command.args.record ? [recordPartnerGrant] : [])];
    for (const name of asked) {
      const decision = authorize(
        this.options.authorization,
        request.requester,
        { runbook: name, clusterText, cluster },
        this.options.aliases,
      );
      if (!decision.allowed)
        return `Not allowed: ${decision.reason}${decision.contact ? ` Ask ${decision.contact} for access.` : ""}`;
    }
    return null;
  }

  /**
   * The cluster a reference names, as Azure resolves it (through the same alias and reference
   * reading as the run); when Azure cannot say, what the text alone says, so that a rule naming
   * `rg/name` neither covers an unknown cluster nor refuses the same cluster named another way.
   */
  private async identify(text: string, request: ChatRequest): Promise<ClusterIdentity | null> {
    const resolved = await this.options.service.identifyCluster(text, request.abortSignal);
    if (resolved) return resolved;
    const reference = readClusterReference(text, this.options.aliases);
    return reference ? identityOfReference(reference) : null;
  }

  /** The rate limits, counted in the store: every replica sharing it counts the same commands. */
  private async takeRate(requester: Requester, now: number): Promise<string | null> {
    const { store, rateLimits } = this.options;
    const user = await store.takeRate(`user:${requester.platform}:${requester.user ?? "?"}`, now, rateLimits.perUser);
    if (!user.allowed)
      return `You have run many commands in a short time; try again in ${Math.ceil(user.retryInMs / 1000)} s.`;
    const channel = await store.takeRate(
      `channel:${requester.platform}:${requester.channel ?? "?"}`,
      now,
      rateLimits.perChannel,
    );
    if (!channel.allowed)
      return `This channel has run many commands in a short time; try again in ${Math.ceil(channel.retryInMs / 1000)} s.`;
    return null;
  }

  /**
   * Turns away a requester the adapter refused before the command was read (an outsider, a guest, a
   * user the platform could not vouch for): the reason goes to them privately, and the refusal is
   * audited and counted like every other.
   */
  async refuse(
    request: ChatRequest,
    reason: string,
    surface: Pick<ChatSurface, "replyPrivately">,
  ): Promise<RunOutcome> {
    const parsed = parseCommand(request.text, { surface: "chat" });
    const runbook = parsed.ok ? runbookOf(parsed.command) : null;
    await surface.replyPrivately(reason);
    await this.audit(request, parsed.ok ? parsed.command : null, runbook, "refused");
    const outcome: RunOutcome = { platform: request.requester.platform, runbook, status: "refused", bundle: null };
    this.options.onRunFinished?.(outcome);
    return outcome;
  }

  private async audit(
    request: ChatRequest,
    command: ParsedCommand | null,
    runbook: string | null,
    outcome: string,
  ): Promise<void> {
    const at = new Date(this.options.clock.now()).toISOString();
    await this.options.store.recordAudit({
      id: this.options.newKey(),
      platform: request.requester.platform,
      user: request.requester.user,
      channel: request.requester.channel,
      thread: request.thread,
      // What could not be parsed is kept as typed (one line, cut short), so the audit shows the attempt.
      command: command ? formatCommandLine(command) : auditText(request.text),
      runbook,
      outcome,
      digest: null,
      startedAt: at,
      finishedAt: at,
    });
  }

  /**
   * Just before a queued run posts its final answer: if its lease ran out meanwhile (this replica
   * stalled, and another has taken the run over), it stops unanswered, as if handed back.
   */
  private async beginAnswer(request: ChatRequest): Promise<void> {
    if (request.queued && !(await request.queued.stillHeld())) throw new RunHandedBack();
  }

  /** The record of a run starting now, under a new key. */
  private newRunningRecord(request: ChatRequest, command: ParsedCommand, runbook: string | null): RunningRecord {
    return {
      key: this.options.newKey(),
      platform: request.requester.platform,
      user: request.requester.user,
      channel: request.requester.channel,
      thread: request.thread,
      command: formatCommandLine(command),
      runbook,
      startedAt: new Date(this.options.clock.now()).toISOString(),
    };
  }

  private async run(
    request: ChatRequest,
    command: ParsedCommand,
    runbook: string | null,
    surface: ChatSurface,
  ): Promise<RunOutcome> {
    // Kept until the run ends: after a crash, the next start tells this thread it was interrupted. A
    // queued run keeps the record its accepting replica wrote, now with who asked.
    const { queued } = request;
    const running: RunningRecord = queued
      ? {
          ...queued.record,
          command: formatCommandLine(command),
          runbook,
          requester: request.requester,
          heartbeatAt: new Date(this.options.clock.now()).toISOString(),
        }
      : this.newRunningRecord(request, command, runbook);
    this.live.set(running.key, running);
    await this.options.store.startRun(running);
    // A slash command's thread opens with its progress message: kept, so an interruption is told
    // there; a queued run also keeps the message, which the replica that takes it over edits.
    const noteThread = async (): Promise<void> => {
      const thread = running.thread ?? surface.thread ?? null;
      const progressMessage = queued ? (surface.progressMessage ?? null) : running.progressMessage;
      if (thread === running.thread && progressMessage === running.progressMessage) return;
      const noted: RunningRecord = { ...running, thread, ...(queued ? { progressMessage } : {}) };
      this.live.set(running.key, noted);
      await this.options.store.startRun(noted);
    };
    // A queued run notes that its answer's first message is in the thread: a replica taking it over
    // after this point does not answer a second time.
    const noteAnswered = async (): Promise<void> => {
      if (!queued) return;
      // Kept in the live record too, so the next heartbeat does not write the record back without it.
      const answered: RunningRecord = { ...(this.live.get(running.key) ?? running), answered: true };
      this.live.set(running.key, answered);
      await this.options.store.startRun(answered);
    };
    let handedBack = false;
    try {
      return await this.runTracked(request, command, runbook, surface, noteThread, noteAnswered);
    } catch (error) {
      // Handed back, the record stays: the replica that takes the run over answers it.
      handedBack = error instanceof RunHandedBack;
      throw error;
    } finally {
      this.live.delete(running.key);
      if (!handedBack) await this.options.store.finishRun(running.key);
    }
  }

  private async runTracked(
    request: ChatRequest,
    command: ParsedCommand,
    runbook: string | null,
    surface: ChatSurface,
    noteThread: () => Promise<void>,
    noteAnswered: () => Promise<void>,
  ): Promise<RunOutcome> {
    const { service } = this.options;
    const { queued } = request;
    let view: ProgressView = {
      title: formatCommandLine(command),
      simulated: service.simulated,
      steps: [],
      outcome: null,
      ...(queued && queued.attempt > 0 ? { resumed: true } : {}),
    };
    // A run this replica handed back ends here, unanswered: the replica that takes it answers.
    const handedBack = (): void => {
      if (queued?.handBack.aborted) throw new RunHandedBack();
    };
    // The thread is noted as soon as it exists, then the progress message: a replica that takes this
    // run over answers in the same thread and edits the same message.
    await surface.openThread?.(view);
    await noteThread();
    await surface.startProgress(view);
    await noteThread();
    const pacer = new ProgressPacer<ProgressView>(
      (next) => surface.updateProgress(next),
      this.options.progressIntervalInMs ?? 1500,
      () => this.options.clock.now(),
    );
    const onEvent = (event: RunEvent): void => {
      if (event.type === "run.started")
        view = { ...view, steps: event.steps.map((step) => ({ id: step.id, name: step.name, status: "pending" })) };
      else if (event.type === "step.started")
        view = {
          ...view,
          steps: view.steps.map((step) => (step.id === event.stepId ? { ...step, status: "running" } : step)),
        };
      else if (event.type === "step.finished")
        view = {
          ...view,
          steps: view.steps.map((step) => (step.id === event.stepId ? { ...step, status: event.status } : step)),
        };
      else return;
      pacer.push(view);
    };
    const requestedBy: RequestedBy = {
      platform: request.requester.platform,
      user: request.requester.user,
      channel: request.requester.channel,
      thread: request.thread,
    };
    let result: CommandResult;
    try {
      result = await this.slots(() =>
        service.runCommand(command, {
          requestedBy,
          onEvent,
          ...(request.abortSignal ? { abortSignal: request.abortSignal } : {}),
        }),
      );
    } catch (error) {
      handedBack();
      const message = isEgressError(error)
        ? error.message
        : "The run failed unexpectedly; the bot's log has the details.";
      await this.beginAnswer(request);
      await pacer.finish({ ...view, outcome: "failed" });
      await surface.postFailure(message);
      await noteAnswered();
      return { platform: requestedBy.platform, runbook, status: "failed", bundle: null };
    }
    handedBack();
    if (result.kind === "catalog") {
      await pacer.finish({ ...view, outcome: "succeeded" });
      await surface.replyPrivately(
        result.runbooks.map((entry) => `• ${entry.name} ${entry.version}: ${entry.title}`).join("\n"),
      );
      return { platform: requestedBy.platform, runbook: null, status: "succeeded", bundle: null };
    }
    const { bundle, notices = [] } = result;
    await this.beginAnswer(request);
    const interrupted = request.abortSignal?.aborted === true;
    await pacer.finish({
      ...view,
      steps: bundle.steps.map((step) => ({
        id: step.id,
        name: view.steps.find((candidate) => candidate.id === step.id)?.name ?? step.id,
        status: step.status,
      })),
      outcome: interrupted ? "interrupted" : bundle.status,
    });
    const now = this.options.clock.now();
    const buttonKeys = await Promise.all(
      bundle.next.map(async (suggestion) => {
        const key = this.options.newKey();
        await this.options.store.putButton(
          key,
          {
            command: suggestion.command,
            platform: requestedBy.platform === "cli" ? "console" : requestedBy.platform,
            channel: requestedBy.channel,
            thread: requestedBy.thread,
            requestedBy: requestedBy.user,
          },
          now,
          buttonTtlInMs,
        );
        return key;
      }),
    );
    await surface.postResult({
      bundle,
      view: buildAnswerView(bundle, notices),
      markdown: formatBundleMarkdown(bundle),
      buttonKeys,
      firstPosted: noteAnswered,
    });
    return {
      platform: requestedBy.platform,
      runbook: bundle.runbook.name,
      status: interrupted ? "interrupted" : bundle.status,
      bundle,
    };
  }
}

/** The grant a policy rule gives (in its `runbooks`) to let people record partner handovers. */
export const recordPartnerGrant = "record-partner";

/** The cluster a command names: its `cluster` argument, or a `cluster=` input of `run`. */
function clusterArgument(command: ParsedCommand): string | null {
  if ("cluster" in command.args && typeof command.args.cluster === "string") return command.args.cluster;
  if (command.id === "run") {
    const value = command.args.inputs?.cluster;
    return typeof value === "string" ? value : null;
  }
  return null;
}

/** The runbook a command runs, if any. */
function runbookOf(command: ParsedCommand): string | null {
  return command.id === "run" ? command.args.runbook : (command.definition.runbook ?? null);
}

/** Text as the audit keeps it when it is not a command: control characters out, one line, 200 characters. */
export function auditText(text: string): string {
  const printable = Array.from(text, (char) => {
    const code = char.codePointAt(0) ?? 0;
    return code < 0x20 || (code >= 0x7f && code <= 0x9f) ? " " : char;
  }).join("");
  return printable.replace(/\s+/g, " ").trim().slice(0, 200);
}
