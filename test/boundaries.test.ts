import { describe, expect, it } from "@jest/globals";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

// Enforces the import directions of the design (§2): adapters → src/index.ts → app → (steps, azure,
// simulated, store) → core. Reads the sources as text; needs no extra tooling.
const pureLibraries = ["yaml", "zod", "@bufbuild/cel", "ipaddr.js", "cidr-tools", "canonicalize", "node:crypto"];
const layers: { folder: string; mayImport: string[]; packages: (name: string) => boolean }[] = [
  { folder: "src/core", mayImport: ["src/core"], packages: (name) => pureLibraries.includes(name) },
  { folder: "src/steps", mayImport: ["src/core", "src/steps"], packages: (name) => name === "zod" },
  { folder: "src/index.ts", mayImport: ["src/core", "src/app"], packages: () => false },
  {
    folder: "src/azure",
    mayImport: ["src/core", "src/azure"],
    packages: (name) =>
      name.startsWith("@azure/") || pureLibraries.includes(name) || name === "p-limit" || name.startsWith("node:"),
  },
  {
    folder: "src/simulated",
    mayImport: ["src/core", "src/simulated"],
    packages: (name) =>
      pureLibraries.includes(name) || name === "@azure/core-rest-pipeline" || name.startsWith("node:"),
  },
  {
    folder: "src/store",
    mayImport: ["src/core", "src/store"],
    // The stores' own drivers: node:sqlite is built in; PostgreSQL is reached through `pg`, and the
    // durable run queue through pg-boss (on pg).
    packages: (name) => name.startsWith("node:") || pureLibraries.includes(name) || name === "pg" || name === "pg-boss",
  },
  {
    folder: "src/app",
    mayImport: ["src/core", "src/steps", "src/azure", "src/simulated", "src/store", "src/app"],
    packages: (name) => !name.startsWith("@azure/"),
  },
];

function sourcesUnder(folder: string): string[] {
  let entries: string[];
  try {
    if (statSync(folder).isFile()) return [folder];
    entries = readdirSync(folder);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? sourcesUnder(path) : path.endsWith(".ts") ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [
    ...text.matchAll(
      /(?:^|\s)(?:import|export)\s[^"';]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^import\s+["']([^"']+)["']/gm,
    ),
  ].map((match) => match[1] ?? match[2] ?? match[3] ?? "");
}

const packageName = (specifier: string): string =>
  specifier.startsWith("@")
    ? specifier.split("/").slice(0, 2).join("/")
    : specifier.startsWith("node:")
      ? specifier
      : (specifier.split("/")[0] ?? "");
const target = (file: string, specifier: string): string =>
  normalize(join(dirname(file), specifier)).replace(/\\/g, "/");

describe("import boundaries", () => {
  for (const layer of layers) {
    it(`${layer.folder} imports only ${layer.mayImport.join(", ")} and its allowed packages`, () => {
      const violations: string[] = [];
      for (const file of sourcesUnder(layer.folder)) {
        for (const specifier of importsOf(file)) {
          if (specifier.startsWith(".")) {
            const resolved = target(file, specifier);
            if (!layer.mayImport.some((allowed) => resolved.startsWith(`${allowed}/`)))
              violations.push(`${file} → ${specifier}`);
          } else if (!layer.packages(packageName(specifier))) {
            violations.push(`${file} → ${specifier}`);
          }
        }
      }
      expect(violations).toEqual([]);
    });
  }

  it("adapters import only src/index.ts, their own folder and their own platform; never another adapter (server excepted)", () => {
    const violations: string[] = [];
    for (const adapter of readdirSync("adapters")) {
      for (const file of sourcesUnder(join("adapters", adapter))) {
        for (const specifier of importsOf(file)) {
          if (!specifier.startsWith(".")) {
            if (packageName(specifier).startsWith("@azure/")) violations.push(`${file} → ${specifier}`);
            continue;
          }
          const resolved = target(file, specifier);
          const ownFolder = resolved.startsWith(`adapters/${adapter}/`);
          const otherAdapter = resolved.startsWith("adapters/") && !ownFolder;
          if (resolved.startsWith("src/") && resolved !== "src/index.js") violations.push(`${file} → ${specifier}`);
          if (otherAdapter && adapter !== "server") violations.push(`${file} → ${specifier}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it("core has no hidden I/O: no env, ambient clock, timers, randomness or console", () => {
    const banned = [
      /process\.env/,
      /Date\.now\(/,
      /new Date\(\)/,
      /\bsetTimeout\(/,
      /\bsetInterval\(/,
      /Math\.random\(/,
      /randomUUID/,
      /\bconsole\./,
      /from\s+["']node:fs/,
    ];
    const violations = sourcesUnder("src/core").flatMap((file) => {
      const text = readFileSync(file, "utf8");
      return banned.filter((pattern) => pattern.test(text)).map((pattern) => `${file}: ${pattern.source}`);
    });
    expect(violations).toEqual([]);
  });

  it("nothing evaluates text as code, and nothing reads ../shared", () => {
    const files = [
      ...sourcesUnder("src"),
      ...sourcesUnder("adapters"),
      ...sourcesUnder("scripts"),
      ...sourcesUnder("bench"),
    ];
    const violations = files.flatMap((file) => {
      const text = readFileSync(file, "utf8");
      return [/\beval\(/, /new Function\(/, /\.\.\/shared/]
        .filter((pattern) => pattern.test(text))
        .map((pattern) => `${relative(".", file)}: ${pattern.source}`);
    });
    expect(violations).toEqual([]);
  });
});
