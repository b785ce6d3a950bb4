import { describe, expect, it } from "@jest/globals";
import { kqlString } from "../../src/core/queries/kql-literal.js";
import { queryRegistry, renderQuery, type QueryName } from "../../src/core/queries/query-registry.js";
import { parseKql } from "../../src/simulated/kql/parse-kql.js";
import { analyzeAgainstSchemas, tableSchemas } from "../support/kusto-schemas.js";

describe("the query registry", () => {
  const names = Object.keys(queryRegistry) as QueryName[];

  it.each(names)("%s is valid KQL against the real table schemas", (name) => {
    const definition = queryRegistry[name];
    definition.tables.forEach((table) => expect(Object.keys(tableSchemas)).toContain(table));
    expect(analyzeAgainstSchemas(renderQuery(name, definition.example).text)).toEqual([]);
  });

  it("would catch a misspelled column, an unknown table and = for ==", () => {
    expect(analyzeAgainstSchemas("AZFWNetworkRule | where Acton == 'Deny'")).toEqual([
      expect.stringMatching(/^KS142 The name 'Acton' does not refer/),
    ]);
    expect(analyzeAgainstSchemas("AZFWNetworkRules | take 1")).toEqual([expect.stringMatching(/^KS204 /)]);
    expect(analyzeAgainstSchemas("AZFWNetworkRule | where Action = 'Deny'")).toEqual([
      expect.stringMatching(/^KS141 /),
    ]);
  });

  it("covers every table the product reads", () => {
    const tables = new Set(names.flatMap((name) => queryRegistry[name].tables));
    expect([...tables].sort()).toEqual([
      "AZFWApplicationRule",
      "AZFWDnsQuery",
      "AZFWNetworkRule",
      "AzureDiagnostics",
      "resources",
    ]);
  });
});

describe("user values reach KQL only as escaped literals", () => {
  const attacks = [
    "x' or 1 == 1 //",
    "x\\' | take 100 | where '1' == '1",
    "'; union AZFWNetworkRule",
    "\\\\'\\\\",
    'x" or "1"=="1',
  ];

  it.each(attacks)("%s stays one string literal with its exact value", (attack) => {
    const text = renderQuery("firewallApplicationDenies", { sourceCidrs: ["10.0.0.0/8"], fqdn: attack }).text;
    expect(analyzeAgainstSchemas(text)).toEqual([]);
    const query = parseKql(text);
    const filter = query.operators[2];
    expect(filter).toEqual({
      kind: "where",
      predicate: {
        kind: "binary",
        op: "=~",
        left: { kind: "column", path: ["Fqdn"] },
        right: { kind: "literal", value: attack },
      },
    });
    expect(query.operators).toHaveLength(5);
  });

  it("refuses control characters and overlong values", () => {
    expect(() => kqlString("a\nb")).toThrow("control character");
    expect(() => kqlString("x".repeat(2000))).toThrow("longer than 1,024");
  });
});
