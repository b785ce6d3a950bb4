import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { loadRunbook, loadRunbooks } from "../../../src/core/runbooks/load-runbook.js";
import { formatLoadIssue } from "../../../src/core/runbooks/load-issue.js";
import { createTestRegistry } from "../../support/test-steps.js";
import { createBuiltinRegistry } from "../../../src/steps/index.js";

const fixture = (name: string) => ({
  file: `test/fixtures/runbooks/${name}`,
  text: readFileSync(`test/fixtures/runbooks/${name}`, "utf8"),
});
const issuesOf = (name: string) => {
  const result = loadRunbook(fixture(name), createTestRegistry());
  if (result.ok) throw new Error(`${name} should not load`);
  return result.issues.map(formatLoadIssue);
};

describe("loadRunbook reports every problem, each at file:line:col", () => {
  it("gives six lines for six planted problems of six kinds", () => {
    expect(issuesOf("broken/six-problems.yaml")).toEqual([
      'test/fixtures/runbooks/broken/six-problems.yaml:14:13: spec.steps[0].with: unknown input "clustr" (inputs: cluster)',
      "test/fixtures/runbooks/broken/six-problems.yaml:15:16: spec.steps[0].timeout: a duration looks like 500ms, 20s, 5m, 1h or 7d",
      'test/fixtures/runbooks/broken/six-problems.yaml:17:13: spec.steps[1].uses: unknown step type "test.nope" (registered: builtin.note, azure.resource.get, azure.cluster.get, egress.cluster.show, egress.snat.observe, egress.ip.whois, egress.fleet.inventory, egress.partners.list, egress.partners.show, egress.drift.check, egress.drift.history, egress.whatif, test.echo, test.sleep, test.flaky, test.hang, test.finding)',
      "test/fixtures/runbooks/broken/six-problems.yaml:20:19: spec.steps[2].with.ms: ms: expected number, received string",
      'test/fixtures/runbooks/broken/six-problems.yaml:23:13: spec.steps[3].when: unknown step "ghost"',
      'test/fixtures/runbooks/broken/six-problems.yaml:24:13: spec.steps[3].with: step "first" (test.echo) has no output "nope" (outputs: value)',
    ]);
  });

  it("reports schema, expression, dependency, check, suggestion and output problems together", () => {
    const issues = issuesOf("broken/more-problems.yaml").map((line) =>
      line.replace("test/fixtures/runbooks/broken/more-problems.yaml:", ""),
    );
    expect(issues).toEqual([
      "6:12: metadata.version: a semantic version such as 1.0.0",
      "7:3: metadata.owner: unknown key",
      "10:39: spec.inputs.since.default: default does not fit type duration: a duration looks like 15m, 1h or 7d",
      "14:14: spec.steps[0].needs: steps a → b → a depend on each other in a cycle",
      'spec.steps[0].with.value: expression "steps.b.outputs.value +": at 1:23: found + but expecting end of input'.replace(
        /^/,
        "15:22: ",
      ),
      '19:25: spec.steps[1].with.colour: unknown parameter "colour" for test.echo (parameters: value, summary)',
      'spec.steps[2].id: step id "a" is used twice'.replace(/^/, "20:11: "),
      "24:13: spec.checks[0].code: finding codes are UPPER_SNAKE_CASE",
      '25:17: spec.checks[0].severity: expected one of "critical"|"error"|"warning"|"info"',
      '28:13: spec.checks[0].when: unknown name "item": item is only bound inside a check with forEach',
      'spec.next[0].command: not a valid command: unknown command "frobnicate now"'.replace(/^/, "31:16: "),
      '33:5: spec.outputs.status: "status" is part of the evidence bundle envelope and cannot be an output',
    ]);
  });

  it("refuses a check that raises a catalogued code again (one producer per code), at the code's position", () => {
    const text = [
      "apiVersion: egress.runbooks/v1",
      "kind: Runbook",
      "metadata: { name: copied, title: Copied, description: Re-raises a code., version: 1.0.0 }",
      "spec:",
      "  steps:",
      "    - id: echo",
      "      uses: test.echo",
      "      with: { value: 1 }",
      "  checks:",
      "    - code: NO_EGRESS_PATH",
      "      severity: error",
      "      title: copied",
      "      remediation: copied",
      "      when: steps.echo.outputs.value == 1",
    ].join("\n");
    const result = loadRunbook({ file: "copied.yaml", text }, createTestRegistry());
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues.map(formatLoadIssue)).toEqual([
        "copied.yaml:10:13: spec.checks[0].code: NO_EGRESS_PATH is raised by egress-bot's own rules (the egress.cluster.show step): select it with the step's \"findings\" parameter instead of raising it again, or give this check a code of your own",
      ]);
  });

  it("checks field names against the step's output schema, through macros: a typo in the report fails lint, not the run", () => {
    const text = [
      "apiVersion: egress.runbooks/v1",
      "kind: Runbook",
      "metadata: { name: typo, title: Typo, description: Misspells a report field., version: 1.0.0 }",
      "spec:",
      "  inputs:",
      "    cluster: { type: cluster, required: true }",
      "  steps:",
      "    - id: egress",
      "      uses: egress.cluster.show",
      "      with: { cluster: '${{ inputs.cluster }}' }",
      "  outputs:",
      "    kinds: ${{ steps.egress.outputs.nodePools.map(p, p.egress.knd) }}",
      "    states: ${{ steps.egress.outputs.nodePools.map(p, p.sources.state) }}",
      "    bad: ${{ steps.egress.outputs.cluster.nmae }}",
      "    listField: ${{ steps.egress.outputs.nodePools.name }}",
    ].join("\n");
    const result = loadRunbook({ file: "typo.yaml", text }, createBuiltinRegistry());
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues.map(formatLoadIssue)).toEqual([
        expect.stringMatching(
          /^typo\.yaml:12:12: spec\.outputs\.kinds: steps\.egress\.outputs\.nodePools\[\]\.egress has no field "knd" \(fields: kind, snatBy, via, /,
        ),
        expect.stringMatching(
          /^typo\.yaml:14:10: spec\.outputs\.bad: steps\.egress\.outputs\.cluster has no field "nmae" \(fields: id, name, /,
        ),
        expect.stringMatching(
          /^typo\.yaml:15:16: spec\.outputs\.listField: steps\.egress\.outputs\.nodePools is a list: read "name" of its items with \.map/,
        ),
      ]);
  });

  it("reports YAML syntax errors at their position, once each", () => {
    const issues = issuesOf("broken/not-yaml.yaml");
    expect(issues.length).toBeGreaterThan(0);
    issues.forEach((issue) =>
      expect(issue).toMatch(/^test\/fixtures\/runbooks\/broken\/not-yaml\.yaml:[34]:\d+: YAML: /),
    );
    expect(new Set(issues).size).toBe(issues.length);
    const result = loadRunbook(
      {
        file: "flow.yaml",
        text: "apiVersion: egress.runbooks/v1\nkind: Runbook\nspec:\n  inputs:\n    a: { type: string, description: one, two: three }\n",
      },
      createTestRegistry(),
    );
    expect(result.ok ? [] : result.issues.map((issue) => [issue.line, issue.message.slice(0, 5)])).not.toContainEqual([
      1,
      "YAML:",
    ]);
  });

  it("refuses oversized files and alias bombs without expanding them", () => {
    const big = loadRunbook({ file: "big.yaml", text: `# ${"x".repeat(300 * 1024)}` }, createTestRegistry());
    expect(!big.ok && big.issues[0]?.message).toBe("the file is larger than 256 KiB");
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from(
        { length: 12 },
        (_value, index) =>
          `${String.fromCharCode(98 + index)}: &${String.fromCharCode(98 + index)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + index)}`)
            .join(", ")}]`,
      ),
    ].join("\n");
    const result = loadRunbook({ file: "bomb.yaml", text: bomb }, createTestRegistry());
    expect(!result.ok && result.issues[0]?.message).toMatch(/YAML: .*[Aa]lias/);
  });

  it("reports problems of every file at once and names used twice", () => {
    const registry = createTestRegistry();
    const good = fixture("good/all-features.yaml");
    const result = loadRunbooks(
      [fixture("broken/six-problems.yaml"), good, { ...good, file: "copy.yaml" }, fixture("broken/more-problems.yaml")],
      registry,
    );
    expect(result.runbooks.map((runbook) => runbook.name)).toEqual(["all-features"]);
    expect(result.issues.filter((issue) => issue.file.endsWith("six-problems.yaml"))).toHaveLength(6);
    expect(result.issues.filter((issue) => issue.file.endsWith("more-problems.yaml")).length).toBeGreaterThanOrEqual(
      10,
    );
    expect(result.issues).toContainEqual({
      file: "copy.yaml",
      line: 1,
      column: 1,
      message: 'runbook name "all-features" is already used by test/fixtures/runbooks/good/all-features.yaml',
    });
  });
});

describe("loadRunbook normalises a valid runbook", () => {
  const result = loadRunbook(fixture("good/all-features.yaml"), createTestRegistry());
  const runbook = result.ok ? result.runbook : undefined;

  it("loads", () => {
    expect(result.ok ? [] : result.issues).toEqual([]);
    expect(runbook).toMatchObject({ name: "all-features", version: "2.1.0", concurrency: 2, deadlineInMs: 90_000 });
    expect(runbook?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("types inputs and checks their defaults", () => {
    expect(
      runbook?.inputs.map(({ name, type, required, default: value }) => ({ name, type, required, value })),
    ).toEqual([
      { name: "cluster", type: "cluster", required: true, value: undefined },
      { name: "since", type: "duration", required: false, value: "1h" },
      { name: "top", type: "int", required: false, value: 20 },
      { name: "verbose", type: "bool", required: false, value: false },
      { name: "dest", type: "destination", required: false, value: undefined },
      { name: "ip", type: "ip", required: false, value: "203.0.113.7" },
      { name: "partner", type: "string", required: false, value: undefined },
    ]);
  });

  it("converts durations, fills retry policy and adds the steps expressions read to needs", () => {
    const [pools, count, optional] = runbook?.steps ?? [];
    expect(pools).toMatchObject({ id: "pools", needs: [], timeoutInMs: 30_000, retry: { attempts: 1 } });
    expect(count).toMatchObject({
      name: "Count pools",
      needs: ["pools"],
      timeoutInMs: 20_000,
      retry: { attempts: 3, backoff: "fixed", delayInMs: 250, maxDelayInMs: 2_000 },
    });
    expect(optional).toMatchObject({ needs: ["count"], continueOnError: true });
    expect(runbook?.checks[0]?.readsSteps).toEqual(["pools"]);
    expect(runbook?.next[0]?.readsSteps).toEqual(["count"]);
  });
});
