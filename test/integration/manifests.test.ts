import { describe, expect, it } from "@jest/globals";
import { Ajv } from "ajv";
import ajvDraft04 from "ajv-draft-04";
import { DockerfileParser } from "dockerfile-ast";
import { readFileSync } from "node:fs";
import { parse } from "yaml";

const json = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;

describe("Slack app manifests", () => {
  // The top schema $refs the versioned ones by URL: register them under those IDs (no network).
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addSchema(
    json("manifests/schemas/slack-manifest.schema.1.0.0.json"),
    "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.1.0.0.json",
  );
  ajv.addSchema(
    json("manifests/schemas/slack-manifest.schema.2.0.0.json"),
    "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.2.0.0.json",
  );
  const validate = ajv.compile(json("manifests/schemas/slack-manifest.schema.json"));

  for (const file of ["manifests/slack/manifest.yaml", "manifests/slack/manifest.socket-mode.yaml"]) {
    it(`${file} is valid against Slack's schema and declares what the bot handles`, () => {
      const manifest = parse(readFileSync(file, "utf8")) as {
        features: { slash_commands: { command: string }[]; shortcuts: { callback_id: string }[] };
        oauth_config: { scopes: { bot: string[] } };
        settings: { event_subscriptions: { bot_events: string[] }; socket_mode_enabled: boolean };
      };
      expect(validate(manifest) ? [] : validate.errors).toEqual([]);
      expect(manifest.features.slash_commands[0]?.command).toBe("/egress");
      expect(manifest.features.shortcuts[0]?.callback_id).toBe("diagnose_egress");
      expect(manifest.settings.event_subscriptions.bot_events).toEqual(["app_mention"]);
      expect(manifest.oauth_config.scopes.bot).toEqual(
        expect.arrayContaining([
          "commands",
          "chat:write",
          "app_mentions:read",
          "files:write",
          "users:read",
          "usergroups:read",
        ]),
      );
      expect(manifest.settings.socket_mode_enabled).toBe(file.includes("socket"));
    });
  }

  it("the validator catches a broken manifest", () => {
    expect(
      validate({
        _metadata: { major_version: 1 },
        display_information: {},
        features: { slash_commands: [{ command: "egress" }] },
      }),
    ).toBe(false);
  });
});

describe("Teams app package", () => {
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
  const validate = ajv.compile(json("manifests/schemas/teams-manifest-1.29.schema.json"));
  const manifest = json("manifests/teams/manifest.json") as {
    bots: { commandLists: { commands: { title: string }[] }[] }[];
    icons: { color: string; outline: string };
  };
  const pngSize = (file: string): [number, number] => {
    const bytes = readFileSync(file);
    expect(bytes.subarray(1, 4).toString("ascii")).toBe("PNG");
    return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
  };

  it("manifest.json is valid against the Teams 1.29 schema and lists the chat commands", () => {
    expect(validate(manifest) ? [] : validate.errors).toEqual([]);
    expect(manifest.bots[0]?.commandLists[0]?.commands.map((command) => command.title)).toEqual([
      "show cluster",
      "triage",
      "source-ips",
      "denies",
      "whois",
      "help",
    ]);
  });

  it("has a 192×192 colour icon and a 32×32 outline icon", () => {
    expect(pngSize(`manifests/teams/${manifest.icons.color}`)).toEqual([192, 192]);
    expect(pngSize(`manifests/teams/${manifest.icons.outline}`)).toEqual([32, 32]);
  });

  it("the validator catches a broken manifest", () => {
    expect(validate({ ...manifest, manifestVersion: "1.2" })).toBe(false);
  });
});

describe("Dockerfile", () => {
  const dockerfile = DockerfileParser.parse(readFileSync("Dockerfile", "utf8"));
  type Flagged = { getFlags(): { getName(): string; getValue(): string | null }[] };
  const flagsOf = (instruction: object): string[] =>
    "getFlags" in instruction
      ? (instruction as Flagged).getFlags().map((flag) => `--${flag.getName()}=${flag.getValue() ?? ""}`)
      : [];
  const instructions = dockerfile.getInstructions().map((instruction) => ({
    keyword: instruction.getKeyword(),
    args: instruction.getArgumentsContent() ?? "",
    flags: flagsOf(instruction),
  }));

  it("is multi-stage, installs production dependencies only in the runtime stage and runs as a non-root user", () => {
    const froms = instructions.filter((instruction) => instruction.keyword === "FROM");
    expect(froms.length).toBe(2);
    expect(froms.every((from) => from.args.startsWith("node:24"))).toBe(true);
    const lastFrom = instructions.lastIndexOf(froms[1] as (typeof instructions)[number]);
    const runtime = instructions.slice(lastFrom);
    expect(
      runtime.some((instruction) => instruction.keyword === "RUN" && instruction.args.includes("--omit=dev")),
    ).toBe(true);
    expect(runtime.find((instruction) => instruction.keyword === "USER")?.args).toBe("node");
    expect(runtime.find((instruction) => instruction.keyword === "CMD")?.args).toContain(
      "dist/adapters/server/main.js",
    );
    expect(
      runtime.some((instruction) => instruction.keyword === "COPY" && instruction.flags.includes("--from=build")),
    ).toBe(true);
  });

  it("leaves the simulator's KQL parser out of the production image unless asked for", () => {
    // A development dependency in the lockfile: `npm ci --omit=dev` does not install it.
    const lock = json("package-lock.json") as { packages: Record<string, { dev?: boolean }> };
    expect(lock.packages["node_modules/@kusto/language-service-next"]?.dev).toBe(true);
    expect(Object.keys(json("package.json").dependencies as object)).not.toContain("@kusto/language-service-next");
    const lastFrom = instructions.map((instruction) => instruction.keyword).lastIndexOf("FROM");
    const runtime = instructions.slice(lastFrom);
    expect(runtime.find((instruction) => instruction.keyword === "ARG")?.args).toBe("WITH_SIMULATOR=false");
    const install = runtime.find((instruction) => instruction.keyword === "RUN")?.args ?? "";
    expect(install).toMatch(
      /if \[ "\$WITH_SIMULATOR" = "true" \]; then\s+npm install --no-save --omit=dev --ignore-scripts "@kusto\/language-service-next@/,
    );
  });

  it("copies into the build stage everything `npm run build` compiles", () => {
    const firstRuntime = instructions.map((instruction) => instruction.keyword).lastIndexOf("FROM");
    const copied = instructions
      .slice(0, firstRuntime)
      .filter((instruction) => instruction.keyword === "COPY")
      .flatMap((instruction) => instruction.args.split(/\s+/).slice(0, -1));
    const compiled = [
      ...(json("tsconfig.build.json").include as string[]),
      "adapters/console/web/tsconfig.json",
      "adapters/console/public",
    ];
    const missing = compiled.filter(
      (path) => !copied.some((source) => path === source || path.startsWith(`${source}/`)),
    );
    expect(missing).toEqual([]);
  });
});
