import type { TokenCredential } from "@azure/core-auth";
import { renderQuery } from "../core/queries/query-registry.js";
import type { AzureClients } from "./azure-clients.js";
import type { AzureCloudEndpoints } from "./clouds.js";
import { translateAzureError } from "./translate-azure-error.js";

/** Who the bot is to Azure, as the token says. */
export interface IdentityCheck {
  readonly ok: boolean;
  readonly tenantId?: string;
  readonly objectId?: string;
  readonly name?: string;
  readonly problem?: string;
  readonly remediation?: string;
}

/** One read tried against a subscription. */
export interface ReadCheck {
  readonly subscriptionId: string;
  /** The RBAC action the read needs. */
  readonly action: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly remediation?: string;
}

/** Reads the claims of an access token (no verification: it is our own token, shown to its owner). */
function claimsOf(token: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Asks the credential for an ARM token and says who it belongs to. */
export async function checkIdentity(credential: TokenCredential, cloud: AzureCloudEndpoints): Promise<IdentityCheck> {
  try {
    const token = await credential.getToken(cloud.resourceManagerAudience);
    if (!token)
      return {
        ok: false,
        problem: "the credential returned no token",
        remediation: "Sign in with `az login`, or configure workload identity or a managed identity.",
      };
    const claims = claimsOf(token.token);
    const text = (key: string): string | undefined => (typeof claims[key] === "string" ? claims[key] : undefined);
    const name = text("upn") ?? text("unique_name") ?? text("appid") ?? text("azp");
    return {
      ok: true,
      ...(text("tid") ? { tenantId: text("tid") } : {}),
      ...(text("oid") ? { objectId: text("oid") } : {}),
      ...(name ? { name } : {}),
    };
  } catch (error) {
    return {
      ok: false,
      problem: error instanceof Error ? error.message.split("\n")[0] : String(error),
      remediation:
        "Sign in with `az login`, or configure workload identity (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE) or a managed identity.",
    };
  }
}

/** Tries the reads egress-bot needs in one subscription and says, for each one refused, which role would fix it. */
export async function checkSubscription(clients: AzureClients, subscriptionId: string): Promise<ReadCheck[]> {
  const scope = `/subscriptions/${subscriptionId}`;
  const probes: { action: string; run: () => Promise<string> }[] = [
    {
      action: "Microsoft.ResourceGraph/resources/read",
      run: async () => {
        const response = await (
          await clients.resourceGraph()
        ).resources({ query: renderQuery("subscriptionProbe", {}).text, subscriptions: [subscriptionId] });
        return `Resource Graph answers (${String((response.data as { Resources?: number }[] | undefined)?.[0]?.Resources ?? 0)} resources visible)`;
      },
    },
    {
      action: "Microsoft.ContainerService/managedClusters/read",
      run: async () => {
        const page = await (await clients.containerService(subscriptionId)).managedClusters.list().byPage().next();
        return `${page.done ? 0 : page.value.length} cluster(s) readable`;
      },
    },
    {
      action: "Microsoft.Network/routeTables/read",
      run: async () => {
        const page = await (await clients.network(subscriptionId)).routeTables.listAll().byPage().next();
        return `${page.done ? 0 : page.value.length} route table(s) readable`;
      },
    },
    {
      action: "Microsoft.Network/azureFirewalls/read",
      run: async () => {
        const page = await (await clients.network(subscriptionId)).azureFirewalls.listAll().byPage().next();
        return `${page.done ? 0 : page.value.length} firewall(s) readable`;
      },
    },
  ];
  const checks = await Promise.all(probes.map((probe) => tryProbe(probe, subscriptionId, scope)));
  return [...checks, ...(await monitoringChecks(clients, subscriptionId))];
}

/** One probe's outcome; a refusal names the role and the scope. */
async function tryProbe(
  { action, run, resourceId }: { action: string; run: () => Promise<string>; resourceId?: string },
  subscriptionId: string,
  scope: string,
): Promise<ReadCheck> {
  try {
    return { subscriptionId, action, ok: true, detail: await run() };
  } catch (error) {
    const translated = translateAzureError(
      error,
      action,
      resourceId ?? `${scope}/providers/${action.split("/").slice(0, 2).join("/")}`,
    );
    return {
      subscriptionId,
      action,
      ok: false,
      detail: translated.message,
      ...(translated.remediation ? { remediation: translated.remediation } : {}),
    };
  }
}

/**
 * The monitoring reads triage and denies make, tried on the subscription's first firewall: its
 * diagnostic settings, its metrics, and one row of each firewall log table in every workspace it
 * sends logs to. Without a firewall there is nothing to try them on, and the check says so.
 */
async function monitoringChecks(clients: AzureClients, subscriptionId: string): Promise<ReadCheck[]> {
  const scope = `/subscriptions/${subscriptionId}`;
  let firewallId: string | undefined;
  try {
    const page = await (await clients.network(subscriptionId)).azureFirewalls.listAll().byPage().next();
    firewallId = page.done ? undefined : page.value[0]?.id;
  } catch {
    return []; // The firewall probe above already says why.
  }
  if (!firewallId)
    return [
      {
        subscriptionId,
        action: "Microsoft.Insights/metrics/read",
        ok: true,
        detail: "not tried: no firewall in this subscription to read metrics and logs of",
      },
    ];
  const resource = firewallId.replace(/^\/+/, "");
  // Workspace → the tables its setting writes (resource-specific AZFW* tables, or AzureDiagnostics).
  const workspaces = new Map<string, readonly string[]>();
  const checks: ReadCheck[] = [
    await tryProbe(
      {
        action: "Microsoft.Insights/diagnosticSettings/read",
        resourceId: firewallId,
        run: async () => {
          const settings = [];
          for await (const setting of (await clients.monitor(subscriptionId)).diagnosticSettings.list(resource))
            settings.push(setting);
          for (const setting of settings)
            if (setting.workspaceId)
              workspaces.set(
                setting.workspaceId,
                (setting.logAnalyticsDestinationType ?? "").toLowerCase() === "dedicated"
                  ? ["AZFWNetworkRule", "AZFWApplicationRule", "AZFWDnsQuery"]
                  : ["AzureDiagnostics"],
              );
          return `${settings.length} diagnostic setting(s) of ${firewallId?.split("/").pop() ?? ""}`;
        },
      },
      subscriptionId,
      scope,
    ),
    await tryProbe(
      {
        action: "Microsoft.Insights/metrics/read",
        resourceId: firewallId,
        run: async () => {
          const metrics = await (
            await clients.monitor(subscriptionId)
          ).metrics.list(resource, {
            metricnames: "SNATPortUtilization",
            timespan: "PT15M",
          });
          return `metrics of ${firewallId?.split("/").pop() ?? ""} readable (${metrics.value.length} series)`;
        },
      },
      subscriptionId,
      scope,
    ),
  ];
  for (const [workspace, tables] of workspaces)
    for (const table of tables)
      checks.push(
        await tryProbe(
          {
            action: `Microsoft.OperationalInsights/workspaces/query/${table}/read`,
            resourceId: workspace,
            run: async () => {
              const result = await (
                await clients.logs()
              ).queryResource(workspace.replace(/^\/+/, ""), renderQuery("logTableProbe", { table }).text, {
                duration: "P1D",
              });
              if ("partialError" in result)
                throw new Error(`the query answered in part: ${result.partialError.message}`);
              return `${table} in ${workspace.split("/").pop() ?? ""} readable`;
            },
          },
          subscriptionId,
          scope,
        ),
      );
  return checks;
}
