import type {
  AzureFirewall as SdkAzureFirewall,
  FirewallPolicy as SdkFirewallPolicy,
  FirewallPolicyRuleCollectionGroup,
} from "@azure/arm-network";
import type { AzureFirewall, FirewallPolicy, FirewallRule, RuleCollectionGroup } from "../../core/azure/model.js";
import { ids, nameOf, strings } from "./sdk-values.js";

/** Maps an Azure Firewall, VNet (ipConfigurations) or Virtual WAN hub (hubIPAddresses). */
export function toAzureFirewall(firewall: SdkAzureFirewall, requestedId: string): AzureFirewall {
  const id = firewall.id ?? requestedId;
  return {
    id,
    name: firewall.name ?? nameOf(id),
    skuName: firewall.sku?.name ?? null,
    skuTier: firewall.sku?.tier ?? null,
    ipConfigurations: (firewall.ipConfigurations ?? []).map((configuration) => ({
      name: configuration.name ?? "",
      privateIpAddress: configuration.privateIPAddress ?? null,
      publicIpAddressId: configuration.publicIPAddress?.id ?? null,
      subnetId: configuration.subnet?.id ?? null,
    })),
    hubPrivateIpAddress: firewall.hubIPAddresses?.privateIPAddress ?? null,
    hubPublicIpAddresses: (firewall.hubIPAddresses?.publicIPs?.addresses ?? [])
      .map((address) => address.address)
      .filter((address): address is string => typeof address === "string"),
    firewallPolicyId: firewall.firewallPolicy?.id ?? null,
    virtualHubId: firewall.virtualHub?.id ?? null,
  };
}

/** Maps a firewall policy: DNS proxy settings and its rule collection groups. */
export function toFirewallPolicy(policy: SdkFirewallPolicy, requestedId: string): FirewallPolicy {
  const id = policy.id ?? requestedId;
  return {
    id,
    name: policy.name ?? nameOf(id),
    basePolicyId: policy.basePolicy?.id ?? null,
    dnsProxyEnabled: policy.dnsSettings?.enableProxy ?? false,
    dnsServers: policy.dnsSettings?.servers ?? [],
    ruleCollectionGroupIds: ids(policy.ruleCollectionGroups),
  };
}

function toRule(rule: Record<string, unknown>): FirewallRule {
  const protocols = Array.isArray(rule.protocols)
    ? (rule.protocols as { protocolType?: string; port?: number }[]).map(
        (protocol) => `${protocol.protocolType ?? ""}:${protocol.port ?? ""}`,
      )
    : strings(rule.ipProtocols);
  return {
    name: typeof rule.name === "string" ? rule.name : "",
    ruleType: typeof rule.ruleType === "string" ? rule.ruleType : "",
    sourceAddresses: strings(rule.sourceAddresses),
    sourceIpGroups: strings(rule.sourceIpGroups),
    destinationAddresses: strings(rule.destinationAddresses),
    destinationFqdns: strings(rule.destinationFqdns),
    targetFqdns: strings(rule.targetFqdns),
    fqdnTags: strings(rule.fqdnTags),
    destinationPorts: strings(rule.destinationPorts),
    protocols,
  };
}

/** Maps a rule collection group with its (polymorphic) collections and rules. */
export function toRuleCollectionGroup(group: FirewallPolicyRuleCollectionGroup): RuleCollectionGroup {
  const id = group.id ?? "";
  return {
    id,
    name: group.name ?? nameOf(id),
    priority: group.priority ?? null,
    ruleCollections: (group.ruleCollections ?? []).map((collection) => {
      const record = collection as unknown as Record<string, unknown>;
      const action = record.action as { type?: string } | undefined;
      return {
        name: typeof record.name === "string" ? record.name : "",
        priority: typeof record.priority === "number" ? record.priority : null,
        action: action?.type ?? null,
        collectionType: typeof record.ruleCollectionType === "string" ? record.ruleCollectionType : null,
        rules: (Array.isArray(record.rules) ? (record.rules as Record<string, unknown>[]) : []).map(toRule),
      };
    }),
  };
}
