import ipaddr from "ipaddr.js";
import { EgressError, ErrorCode } from "../errors.js";
import { kqlCidrArray, kqlInt, kqlString } from "./kql-literal.js";

/** Which service a query is sent to. */
export type QueryService = "resourceGraph" | "logAnalytics";

/** A query the product can send: its text is rendered from parameters, each checked and escaped. */
export interface QueryDefinition {
  readonly service: QueryService;
  /** The tables it reads (for validation against their schemas). */
  readonly tables: readonly string[];
  readonly description: string;
  /** Example parameters, used by the test that checks every query against the real table schemas. */
  readonly example: Readonly<Record<string, unknown>>;
  render(parameters: Readonly<Record<string, unknown>>): string;
}

const text = (parameters: Readonly<Record<string, unknown>>, name: string): string => {
  const value = parameters[name];
  if (typeof value !== "string" || value.length === 0)
    throw new EgressError(ErrorCode.InputInvalid, `Query parameter "${name}" must be text.`);
  return value;
};
const optionalText = (parameters: Readonly<Record<string, unknown>>, name: string): string | undefined =>
  parameters[name] === undefined ? undefined : text(parameters, name);
const texts = (parameters: Readonly<Record<string, unknown>>, name: string): string[] => {
  const value = parameters[name];
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === "string"))
    throw new EgressError(ErrorCode.InputInvalid, `Query parameter "${name}" must be a list of text.`);
  return value;
};
const lines = (...parts: (string | false | undefined)[]): string =>
  parts.filter((part): part is string => typeof part === "string").join("\n");
const count = (parameters: Readonly<Record<string, unknown>>, name: string, fallback: number): string =>
  kqlInt(typeof parameters[name] === "number" ? parameters[name] : fallback, 1, 1000);

/** The resource types of the fleet inventory (Resource Graph's lower-case spelling). */
export const egressInventoryTypes = [
  "microsoft.containerservice/managedclusters",
  "microsoft.network/virtualnetworks",
  "microsoft.network/routetables",
  "microsoft.network/natgateways",
  "microsoft.network/publicipaddresses",
  "microsoft.network/publicipprefixes",
  "microsoft.network/loadbalancers",
  "microsoft.network/azurefirewalls",
  "microsoft.network/virtualhubs",
] as const;

/** Every KQL text the product can send. Nothing else builds KQL. */
export const queryRegistry = {
  clustersByName: {
    service: "resourceGraph",
    tables: ["resources"],
    description: "Managed clusters with a given name, optionally in a resource group.",
    example: { name: "aks-prod", resourceGroup: "rg-prod" },
    render: (parameters) =>
      lines(
        "resources",
        "| where type =~ 'microsoft.containerservice/managedclusters'",
        `| where name =~ ${kqlString(text(parameters, "name"))}`,
        optionalText(parameters, "resourceGroup") !== undefined &&
          `| where resourceGroup =~ ${kqlString(text(parameters, "resourceGroup"))}`,
        // The body too (what a GET of the cluster returns), so resolving a name costs no second round trip.
        "| project id, name, type, resourceGroup, subscriptionId, location, kind, sku, identity, tags, properties",
      ),
  },
  privateDnsZoneLinks: {
    service: "resourceGraph",
    tables: ["resources"],
    description: "Private DNS zones linked to a virtual network.",
    example: {
      virtualNetworkId:
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet",
    },
    render: (parameters) =>
      lines(
        "resources",
        "| where type =~ 'microsoft.network/privatednszones/virtualnetworklinks'",
        `| where tostring(properties.virtualNetwork.id) =~ ${kqlString(text(parameters, "virtualNetworkId"))}`,
        "| project id, name, registrationEnabled = tobool(properties.registrationEnabled), virtualNetworkId = tostring(properties.virtualNetwork.id)",
      ),
  },
  subscriptionProbe: {
    service: "resourceGraph",
    tables: ["resources"],
    description: "Counts what Resource Graph shows of a subscription (egress doctor).",
    example: {},
    render: () => lines("resources", "| summarize Resources = count()"),
  },
  logTableProbe: {
    service: "logAnalytics",
    tables: ["AZFWNetworkRule", "AZFWApplicationRule", "AZFWDnsQuery", "AzureDiagnostics"],
    description: "Reads one row of a firewall log table the denies queries read (egress doctor).",
    example: { table: "AZFWNetworkRule" },
    render: (parameters) => {
      const table = text(parameters, "table");
      if (!["AZFWNetworkRule", "AZFWApplicationRule", "AZFWDnsQuery", "AzureDiagnostics"].includes(table))
        throw new EgressError(
          ErrorCode.InputInvalid,
          `Query parameter "table" must be a firewall log table, not ${table.slice(0, 40)}.`,
        );
      return lines(table, "| take 1", "| project TimeGenerated");
    },
  },
  virtualHubs: {
    service: "resourceGraph",
    tables: ["resources"],
    description: "Virtual WAN hubs, whose connections and routing intent can inject a default route into a spoke.",
    example: {},
    render: () =>
      lines(
        "resources",
        "| where type =~ 'microsoft.network/virtualhubs'",
        "| project id, name, resourceGroup, subscriptionId",
      ),
  },
  azureFirewalls: {
    service: "resourceGraph",
    tables: ["resources"],
    description:
      "Azure Firewalls, whole, with their private and hub addresses: to find which one a route's next hop is without reading it again.",
    example: {},
    render: () =>
      lines(
        "resources",
        "| where type =~ 'microsoft.network/azurefirewalls'",
        "| project id, name, type, resourceGroup, subscriptionId, location, properties, ipConfigurations = properties.ipConfigurations, hubIPAddresses = properties.hubIPAddresses",
      ),
  },
  egressInventory: {
    service: "resourceGraph",
    tables: ["resources"],
    description:
      "Every resource an AKS egress path is made of (clusters, VNets with subnets and peerings, route tables, NAT gateways, public IPs and prefixes, load balancers, firewalls, Virtual WAN hubs), whole, several to a row by resource group: the fleet inventory in as few pages as the data allows.",
    example: {},
    render: () =>
      lines(
        "resources",
        `| where type in~ (${egressInventoryTypes.map(kqlString).join(", ")})`,
        // ARM JSON as a GET returns it, so the same mappers read it; a resource group's resources
        // share a row, so a page of 1,000 rows holds far more than 1,000 resources.
        "| extend resource = pack('id', id, 'name', name, 'type', type, 'location', location, 'sku', sku, 'zones', zones, 'tags', tags, 'properties', properties)",
        "| summarize resources = make_list(resource) by subscriptionId, resourceGroup",
        "| order by subscriptionId asc, resourceGroup asc",
      ),
  },
  privateAddressOwners: {
    service: "resourceGraph",
    tables: ["resources"],
    description:
      "Internal load balancers and network interfaces whose configuration holds one of the given private addresses: who owns a route's next hop when no Azure Firewall does.",
    example: { addresses: ["10.0.1.4"] },
    render: (parameters) => {
      const addresses = texts(parameters, "addresses").slice(0, 16);
      for (const address of addresses)
        if (!ipaddr.isValid(address))
          throw new EgressError(ErrorCode.InputInvalid, `"${address.slice(0, 60)}" is not an IP address.`);
      // A substring test narrows the rows; the caller matches each address exactly.
      return lines(
        "resources",
        "| where type =~ 'microsoft.network/loadbalancers' or type =~ 'microsoft.network/networkinterfaces'",
        `| where ${addresses.map((address) => `tostring(properties) contains ${kqlString(address)}`).join(" or ")}`,
        "| project id, name, type, frontends = properties.frontendIPConfigurations, ipConfigurations = properties.ipConfigurations",
      );
    },
  },
  firewallLogRows: {
    service: "logAnalytics",
    tables: ["AZFWNetworkRule", "AZFWApplicationRule", "AZFWDnsQuery"],
    description: "Raw firewall log rows from the given source ranges, for egress capture (one query per table).",
    example: { table: "AZFWNetworkRule", sourceCidrs: ["10.240.0.0/16"] },
    render: (parameters) => {
      const table = text(parameters, "table");
      if (!["AZFWNetworkRule", "AZFWApplicationRule", "AZFWDnsQuery"].includes(table))
        throw new EgressError(
          ErrorCode.InputInvalid,
          `Query parameter "table" must be a firewall log table, not ${table.slice(0, 40)}.`,
        );
      return lines(
        table,
        `| where ipv4_is_in_any_range(SourceIp, ${kqlCidrArray(texts(parameters, "sourceCidrs"))})`,
        "| take 5000",
      );
    },
  },
  firewallNetworkDenies: {
    service: "logAnalytics",
    tables: ["AZFWNetworkRule"],
    description: "Network-rule denies from the given source ranges, grouped by destination.",
    example: { sourceCidrs: ["10.240.0.0/16"], top: 20 },
    render: (parameters) =>
      lines(
        "AZFWNetworkRule",
        "| where Action == 'Deny'",
        `| where ipv4_is_in_any_range(SourceIp, ${kqlCidrArray(texts(parameters, "sourceCidrs"))})`,
        optionalText(parameters, "destinationIp") !== undefined &&
          `| where DestinationIp == ${kqlString(text(parameters, "destinationIp"))}`,
        "| summarize Denies = count(), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated), Sources = make_set(SourceIp), Reasons = make_set(ActionReason), Rules = make_set(Rule) by DestinationIp, DestinationPort, Protocol",
        `| top ${count(parameters, "top", 100)} by Denies desc`,
      ),
  },
  firewallApplicationDenies: {
    service: "logAnalytics",
    tables: ["AZFWApplicationRule"],
    description: "Application-rule denies from the given source ranges, grouped by FQDN.",
    example: { sourceCidrs: ["10.240.0.0/16"], fqdn: "api.vendor.example", top: 20 },
    render: (parameters) =>
      lines(
        "AZFWApplicationRule",
        "| where Action == 'Deny'",
        `| where ipv4_is_in_any_range(SourceIp, ${kqlCidrArray(texts(parameters, "sourceCidrs"))})`,
        optionalText(parameters, "fqdn") !== undefined && `| where Fqdn =~ ${kqlString(text(parameters, "fqdn"))}`,
        "| summarize Denies = count(), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated), Sources = make_set(SourceIp), Reasons = make_set(ActionReason), Rules = make_set(Rule) by Fqdn, DestinationPort, Protocol",
        `| top ${count(parameters, "top", 100)} by Denies desc`,
      ),
  },
  firewallDnsFailures: {
    service: "logAnalytics",
    tables: ["AZFWDnsQuery"],
    description: "DNS proxy answers other than NOERROR for a name.",
    example: { queryName: "api.vendor.example." },
    render: (parameters) =>
      lines(
        "AZFWDnsQuery",
        `| where QueryName =~ ${kqlString(text(parameters, "queryName"))}`,
        "| where ResponseCode != 'NOERROR'",
        "| summarize Failures = count(), LastSeen = max(TimeGenerated), Sources = make_set(SourceIp) by QueryName, QueryType, ResponseCode",
      ),
  },
  legacyFirewallDenies: {
    service: "logAnalytics",
    tables: ["AzureDiagnostics"],
    description: "Denies in the legacy AzureDiagnostics table (msg_s is parsed by the product).",
    example: { top: 500 },
    render: (parameters) =>
      lines(
        "AzureDiagnostics",
        "| where Category in ('AzureFirewallNetworkRule', 'AzureFirewallApplicationRule')",
        "| where msg_s has 'Deny' or msg_s has 'denied'",
        "| project TimeGenerated, Category, msg_s",
        `| take ${count(parameters, "top", 500)}`,
      ),
  },
} satisfies Record<string, QueryDefinition>;

/** The name of a registered query. */
export type QueryName = keyof typeof queryRegistry;

/** Renders a registered query, checking and escaping its parameters. */
export function renderQuery(
  name: QueryName,
  parameters: Readonly<Record<string, unknown>>,
): { service: QueryService; text: string } {
  const definition: QueryDefinition = queryRegistry[name];
  return { service: definition.service, text: definition.render(parameters) };
}
