// Abuse of every text input, by property: whatever a person (or an attacker) types or uploads, the
// answer is a clear error within a bound of time, and nothing they type reaches a query or an ARM URL
// unescaped or outside the configured scope.
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readWorld } from "../../src/app/read-world.js";
import { isEgressError } from "../../src/core/errors.js";
import { queryRegistry } from "../../src/core/queries/query-registry.js";
import { loadRunbook } from "../../src/core/runbooks/load-runbook.js";
import type { KqlExpr, KqlQuery } from "../../src/simulated/kql/kql-ast.js";
import { parseKql } from "../../src/simulated/kql/parse-kql.js";
import { validateWorld } from "../../src/simulated/world.js";
import { createBuiltinRegistry } from "../../src/steps/index.js";
import { azureOverWorld, loadWorldFixture } from "../support/world-azure.js";

const registry = createBuiltinRegistry();
// A generous ceiling: a bound, not a speed target (the machine may be busy).
const boundInMs = 20_000;
const timed = <T>(work: () => T): { value: T; ms: number } => {
  const started = performance.now();
  const value = work();
  return { value, ms: performance.now() - started };
};

/** Strings an attacker reaches for: quotes, escapes, KQL and path syntax, control and bidi characters. */
const hostile = fc
  .array(
    fc.oneof(
      fc.string({ unit: "binary", maxLength: 12 }),
      fc.constantFrom(
        "'",
        '"',
        "\\",
        "\\'",
        "|",
        "| take 1",
        "' or 1==1 or '",
        "'; resources | where 1==1 | project id //",
        "//",
        "/*",
        "\n",
        "..",
        "../",
        "%2e%2e",
        "%2F",
        "?api-version=1",
        "#",
        "\u202e",
        "\u0000",
        "@",
        "$",
        "{{",
        "${{ secrets }}",
      ),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((parts) => parts.join(""))
  .filter((value) => value.length > 0);

/** Every literal value in a parsed query, in order. */
function literals(query: KqlQuery): unknown[] {
  const found: unknown[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === "object") {
      const expr = value as KqlExpr;
      if (expr.kind === "literal") found.push(expr.value);
      else Object.values(value).forEach(walk);
    }
  };
  walk(query.operators);
  return found;
}

/** The query's shape with every literal equal to `value` replaced by a marker. */
function shapeWith(query: KqlQuery, value: unknown): string {
  return JSON.stringify(query, (_key, field: unknown) =>
    field !== null &&
    typeof field === "object" &&
    (field as KqlExpr).kind === "literal" &&
    (field as { value: unknown }).value === value
      ? { kind: "literal", value: "<value>" }
      : field,
  );
}

describe("runbook YAML abuse: a clear error, within a bound", () => {
  const load = (text: string) => timed(() => loadRunbook({ file: "abuse.yaml", text }, registry));

  it("an alias bomb (billion laughs) is refused as one, without expanding it", () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 0; level < 9; level++) {
      const [name, previous] = [String.fromCharCode(98 + level), String.fromCharCode(97 + level)];
      lines.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(",")}]`);
    }
    const { value, ms } = load(lines.join("\n"));
    expect(value).toMatchObject({ ok: false, issues: [{ message: expect.stringContaining("alias bomb") }] });
    expect(ms).toBeLessThan(boundInMs);
  });

  it("nesting thousands of levels deep is refused in the reader's terms, not the engine's", () => {
    for (const text of [
      `a: ${"[".repeat(20_000)}${"]".repeat(20_000)}`,
      `a: ${"{b: ".repeat(20_000)}1${"}".repeat(20_000)}`,
    ]) {
      const { value, ms } = load(text);
      expect(value.ok).toBe(false);
      const messages = value.ok ? [] : value.issues.map((issue) => issue.message);
      expect(messages.join(" ")).toMatch(/nested too deeply|YAML:/);
      expect(messages.join(" ")).not.toMatch(/call stack/i);
      expect(ms).toBeLessThan(boundInMs);
    }
  });

  it("a huge document is refused by its size before it is parsed", () => {
    const { value, ms } = load(`description: "${"x".repeat(3 * 1024 * 1024)}"`);
    expect(value).toMatchObject({ ok: false, issues: [{ line: 1, message: expect.stringMatching(/larger than/) }] });
    expect(ms).toBeLessThan(1000 * 5);
  });

  it("any text at all answers with issues that each name a line, a column and a reason, never a throw", () => {
    const yamlish = fc
      .array(
        fc.oneof(
          fc.string({ maxLength: 20 }),
          fc.constantFrom(
            "apiVersion: egress.runbooks/v1\n",
            "kind: Runbook\n",
            "spec:\n  steps:\n",
            "  - id: a\n    uses: builtin.note\n",
            "    with: { summary: '${{ inputs.x }}' }\n",
            "&a ",
            "*a",
            "<<: *a\n",
            "!!binary ",
            "!!js/function ",
            "? ",
            "- ",
            "{",
            "[",
            "'",
            "\t",
          ),
        ),
        { maxLength: 40 },
      )
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(yamlish, (text) => {
        const { value } = load(text);
        if (!value.ok) {
          expect(value.issues.length).toBeGreaterThan(0);
          for (const issue of value.issues) {
            expect(issue.line).toBeGreaterThanOrEqual(1);
            expect(issue.column).toBeGreaterThanOrEqual(1);
            expect(issue.message.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("world file abuse: a clear error, within a bound", () => {
  const folder = mkdtempSync(join(tmpdir(), "egress-abuse-worlds-"));
  const worldFile = (name: string, text: string): string => {
    const file = join(folder, name);
    writeFileSync(file, text);
    return file;
  };

  it.each([
    ["an alias bomb", `resources: &a [${Array.from({ length: 200 }, () => "*a").join(",")}]`, /alias/],
    ["deep nesting", `resources: ${"[".repeat(20_000)}${"]".repeat(20_000)}`, /nested too deeply|Cannot read/],
    ["not YAML at all", "\u0000\u0001{[", /Cannot read world|is invalid/],
    ["a document of the wrong shape", "resources: 5\nschema: nope\n", /is invalid/],
  ])("%s is refused with WORLD_INVALID naming the file", (name, text, reason) => {
    const file = worldFile(`${name.replace(/\W+/g, "-")}.yaml`, text);
    const { ms } = timed(() => {
      try {
        readWorld(file);
        throw new Error("accepted");
      } catch (error) {
        expect(isEgressError(error) && error.code).toBe("WORLD_INVALID");
        expect((error as Error).message).toContain(file);
        expect((error as Error).message).toMatch(reason);
        expect((error as Error).message).not.toMatch(/call stack/i);
      }
    });
    expect(ms).toBeLessThan(boundInMs);
  });

  it("any JSON value is answered by validation with paths and reasons, never a throw", () => {
    const demo = loadWorldFixture("azure-layer.yaml") as unknown as Record<string, unknown>;
    const mutated = fc.oneof(
      fc.jsonValue(),
      fc.record({ schema: fc.string(), resources: fc.dictionary(fc.string(), fc.jsonValue()) }),
      fc
        .tuple(fc.constantFrom(...Object.keys(demo)), fc.jsonValue())
        .map(([key, value]) => ({ ...demo, [key]: value })),
    );
    fc.assert(
      fc.property(mutated, (document) => {
        const result = validateWorld(document);
        if (!result.ok)
          for (const issue of result.issues) {
            expect(typeof issue.path).toBe("string");
            expect(issue.message.length).toBeGreaterThan(0);
          }
      }),
      { numRuns: 500 },
    );
  });
});

describe("KQL injection: a value is one literal, whatever it holds", () => {
  // Every string parameter of every query, with the example value it stands beside.
  const textParameters = Object.entries(queryRegistry).flatMap(([name, definition]) =>
    Object.entries(definition.example)
      .filter(([, value]) => typeof value === "string")
      .map(([parameter, value]) => ({ name, definition, parameter, example: value as string })),
  );

  it("covers the queries that take text", () => {
    expect(textParameters.map(({ name, parameter }) => `${name}.${parameter}`)).toEqual(
      expect.arrayContaining(["clustersByName.name", "clustersByName.resourceGroup", "firewallApplicationDenies.fqdn"]),
    );
  });

  it.each(textParameters.map((entry) => [`${entry.name}.${entry.parameter}`, entry] as const))(
    "%s: Microsoft's parser reads the value back as one literal, and the query's shape is unchanged",
    (_label, { definition, parameter, example }) => {
      const expected = shapeWith(parseKql(definition.render(definition.example)), example);
      fc.assert(
        fc.property(hostile, (value) => {
          let text: string;
          try {
            text = definition.render({ ...definition.example, [parameter]: value });
          } catch (error) {
            // Refused before any query is built: control characters, over-long values, invalid shapes.
            expect(isEgressError(error) && error.code).toBe("INPUT_INVALID");
            return;
          }
          const parsed = parseKql(text);
          expect(literals(parsed)).toContain(value);
          expect(shapeWith(parsed, value)).toBe(expected);
        }),
        { numRuns: 150 },
      );
    },
  );
});

describe("ARM path injection: no reference leaves the configured scope", () => {
  it("any resource ID a user can pass reaches Azure only as a well-formed ID in a configured subscription, or not at all", async () => {
    const world = loadWorldFixture("azure-layer.yaml");
    const { port, http } = azureOverWorld(world);
    const subscriptions = new Set(
      Object.keys(world.resources).map((id) => (/^\/subscriptions\/([^/]+)/i.exec(id)?.[1] ?? "").toLowerCase()),
    );
    const known = Object.keys(world.resources)[0] ?? "";
    const segment = fc.oneof(fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/), hostile);
    const crafted = fc.oneof(
      hostile,
      fc
        .tuple(segment, segment)
        .map(
          ([group, name]) =>
            `${known.split("/resourceGroups/")[0]}/resourceGroups/${group}/providers/Microsoft.Network/routeTables/${name}`,
        ),
      fc.tuple(segment).map(([tail]) => `${known}/${tail}`),
      fc.tuple(segment, segment).map(([subscription, rest]) => `/subscriptions/${subscription}/${rest}`),
    );
    await fc.assert(
      fc.asyncProperty(crafted, async (resourceId) => {
        const before = http.requests.length;
        try {
          await port.getResource(resourceId);
        } catch (error) {
          expect(isEgressError(error) ? error.code : String(error)).toMatch(
            /^(INPUT_INVALID|AZURE_OUT_OF_SCOPE|AZURE_NOT_FOUND)$/,
          );
        }
        for (const request of http.requests.slice(before)) {
          const url = new URL(request.url);
          expect(url.hostname).toBe("management.azure.com");
          expect(decodeURIComponent(url.pathname)).not.toMatch(/(^|\/)\.\.?(\/|$)|[?#\\%]/);
          const subscription = (/^\/subscriptions\/([^/]+)\//i.exec(url.pathname)?.[1] ?? "").toLowerCase();
          expect(subscriptions.has(subscription)).toBe(true);
          expect([...url.searchParams.keys()]).toEqual(["api-version"]);
        }
      }),
      { numRuns: 300 },
    );
    // Well-formed IDs in scope did reach the world: the property is not vacuous.
    expect(http.requests.length).toBeGreaterThan(0);
  });
});
