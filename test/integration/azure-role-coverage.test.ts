import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { createService, parseCommand } from "../../src/index.js";
import { validateWorld } from "../../src/simulated/world.js";
import { azureOverWorld } from "../support/world-azure.js";
import { showClusterOverHttp } from "../support/egress-worlds.js";

interface Role {
  Actions: string[];
  NotActions: string[];
  DataActions: string[];
}
const role = JSON.parse(readFileSync("manifests/azure/egress-reader-role.json", "utf8")) as Role;

/**
 * The operations a recorded request needs: for ARM, provider namespace, resource types, then `read`;
 * for a Log Analytics query, the query action and, per table it reads, that table's read action
 * (`workspaces/query/<table>/read`: without it the workspace answers the query with no access to the table).
 */
function operationsOf(method: string, url: string, body: string | null): string[] {
  const { hostname } = new URL(url);
  if (hostname === "api.loganalytics.io") {
    const sent = body ? (JSON.parse(body) as { query?: unknown }).query : undefined;
    const query = typeof sent === "string" ? sent : "";
    const tables = [...query.matchAll(/(?:^|union\s+|,\s*)(AZFW\w+|AzureDiagnostics)\b/g)].map((match) => match[1]);
    return [
      "Microsoft.OperationalInsights/workspaces/query/read",
      ...tables.map((table) => `Microsoft.OperationalInsights/workspaces/query/${table ?? ""}/read`),
    ];
  }
  return [operationOf(method, url)];
}

/** The ARM operation a recorded request needs: provider namespace, resource types, then `read`. */
function operationOf(method: string, url: string): string {
  const { pathname } = new URL(url);
  const parts = pathname.split("/").filter(Boolean);
  const providers = parts.lastIndexOf("providers");
  if (providers < 0)
    return parts.length > 2
      ? "Microsoft.Resources/subscriptions/resourceGroups/read"
      : "Microsoft.Resources/subscriptions/read";
  const namespace = parts[providers + 1] ?? "";
  // Types are every other segment after the namespace: type/name/subtype/name…
  const types = parts.slice(providers + 2).filter((_, index) => index % 2 === 0);
  // A NIC's effective route table is a POST that needs its own action, the one action in the role.
  if (method === "POST" && /\/networkInterfaces\/[^/]+\/effectiveRouteTable$/i.test(pathname))
    return "Microsoft.Network/networkInterfaces/effectiveRouteTable/action";
  // Resource Graph queries are POSTs but need only its read action; everything else here is a GET.
  return method === "GET" || namespace === "Microsoft.ResourceGraph"
    ? [namespace, ...types, "read"].join("/")
    : `${method} ${pathname}`;
}

const covered = (operation: string): boolean =>
  role.Actions.some((action) => action.toLowerCase() === operation.toLowerCase());

describe("the least-privilege Azure role", () => {
  it("has read actions only, and the one action that computes a NIC's effective routes", () => {
    expect(role.Actions.filter((action) => !action.endsWith("/read"))).toEqual([
      "Microsoft.Network/networkInterfaces/effectiveRouteTable/action",
    ]);
    expect(role.DataActions).toEqual([]);
    expect(role.Actions.some((action) => action.includes("*"))).toBe(false);
  });

  it("covers every ARM and Log Analytics operation the built-in runbooks make on the demo world", async () => {
    const world = validateWorld(parse(readFileSync("worlds/demo.yaml", "utf8")));
    if (!world.ok) throw new Error("demo world invalid");
    const { port, http } = azureOverWorld(world.world, { now: () => Date.now() });
    const service = await createService({ azurePort: port });
    const commands = ["aks-claims-prod", "aks-analytics-prod", "aks-plant-prod", "aks-broken-dev"].flatMap(
      (cluster) => [`triage ${cluster} --dest api.vendor.example:443`, `source-ips ${cluster}`, `denies ${cluster}`],
    );
    for (const text of [...commands, "whois 20.50.10.10"]) {
      const parsed = parseCommand(text);
      if (!parsed.ok) throw new Error(parsed.error.reason);
      await service.runCommand(parsed.command, {
        requestedBy: { platform: "cli", user: null, channel: null, thread: null },
      });
    }
    const operations = [
      ...new Set(http.requests.flatMap((request) => operationsOf(request.method, request.url, request.body))),
    ].sort();
    expect(operations.length).toBeGreaterThan(8);
    // The firewall log tables the denies and triage queries read, each by its own table action.
    expect(operations).toEqual(
      expect.arrayContaining([
        "Microsoft.OperationalInsights/workspaces/query/AZFWNetworkRule/read",
        "Microsoft.OperationalInsights/workspaces/query/AZFWApplicationRule/read",
        "Microsoft.OperationalInsights/workspaces/query/AZFWDnsQuery/read",
      ]),
    );
    expect(operations.filter((operation) => !covered(operation))).toEqual([]);
  });

  it("covers the Virtual WAN reads (hub connections, routing intent, the hub firewall)", async () => {
    const { http } = await showClusterOverHttp("virtual-wan-routing-intent");
    const operations = [
      ...new Set(http.requests.flatMap((request) => operationsOf(request.method, request.url, request.body))),
    ].sort();
    expect(operations).toEqual(
      expect.arrayContaining([
        "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/read",
        "Microsoft.Network/virtualHubs/routingIntent/read",
        "Microsoft.Network/virtualHubs/hubRouteTables/read",
      ]),
    );
    expect(operations.filter((operation) => !covered(operation))).toEqual([]);
  });

  it("covers the effective-route read: the POST's action and the poller's GET of the operation result", async () => {
    const { http } = await showClusterOverHttp("effective-routes-bgp-default");
    const operations = [
      ...new Set(http.requests.flatMap((request) => operationsOf(request.method, request.url, request.body))),
    ].sort();
    expect(operations).toEqual(
      expect.arrayContaining([
        "Microsoft.Network/networkInterfaces/effectiveRouteTable/action",
        "Microsoft.Network/locations/operationResults/read",
      ]),
    );
    expect(operations.filter((operation) => !covered(operation))).toEqual([]);
  });
});
