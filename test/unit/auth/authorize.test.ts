import { describe, expect, it } from "@jest/globals";
import { authorize, type AuthorizationPolicy, type Requester } from "../../../src/core/auth/policy.js";
import {
  identityOfReference,
  readClusterReference,
  type ClusterIdentity,
} from "../../../src/core/azure/cluster-reference.js";

const clusterId =
  "/subscriptions/7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-plant-prod/providers/Microsoft.ContainerService/managedClusters/aks-plant-prod";
const rule = (patch: Partial<AuthorizationPolicy["rules"][number]>) => ({
  slackUsers: [],
  slackUserGroups: [],
  entraObjectIds: [],
  channels: [],
  runbooks: ["*"],
  clusters: [],
  subscriptions: [],
  ...patch,
});
const policy: AuthorizationPolicy = {
  contact: "#platform-help",
  rules: [
    rule({ slackUserGroups: ["S0PLATFORM"] }),
    rule({
      slackUsers: ["U0ALICE"],
      runbooks: ["show-cluster", "triage"],
      clusters: ["rg-plant-prod/aks-plant-prod"],
      channels: ["C0INCIDENT"],
    }),
    rule({
      entraObjectIds: ["5D1E8A3C-9B27-4F60-8C4D-3E7A1B9F2C05"],
      runbooks: ["source-ips"],
      subscriptions: ["7c1e9a52-3b4d-4e6f-8a9b-0c1d2e3f4a5b"],
    }),
  ],
};
const slack = (user: string, patch: Partial<Requester> = {}): Requester => ({
  platform: "slack",
  user,
  userGroups: [],
  entraObjectId: null,
  channel: "C0INCIDENT",
  ...patch,
});
/** A request for a cluster Azure resolved to `id` (or did not resolve, with null). */
const ask = (runbook: string, clusterText: string | null = "aks-plant-prod", id: string | null = clusterId) => ({
  runbook,
  clusterText,
  cluster: id ? identityOf(id) : null,
});
const identityOf = (id: string): ClusterIdentity => {
  const [, , subscriptionId = "", , resourceGroup = "", , , , name = ""] = id.split("/");
  return { id, name, resourceGroup, subscriptionId };
};

describe("authorize", () => {
  it("allows everyone when there is no policy", () => {
    expect(authorize(null, slack("U0ANYONE"), ask("triage"))).toEqual({ allowed: true });
  });
  it("grants by user group, user, channel, runbook and cluster", () => {
    expect(authorize(policy, slack("U0BOB", { userGroups: ["S0PLATFORM"] }), ask("denies"))).toEqual({ allowed: true });
    expect(authorize(policy, slack("U0ALICE"), ask("triage"))).toEqual({ allowed: true });
    expect(authorize(policy, slack("U0ALICE"), ask("triage", "rg-plant-prod/aks-plant-prod"))).toEqual({
      allowed: true,
    });
  });
  it("denies by default, saying why and who can grant access", () => {
    expect(authorize(policy, slack("U0ALICE"), ask("denies"))).toEqual({
      allowed: false,
      reason: "No rule of the authorization policy lets you run denies on aks-plant-prod in this channel.",
      contact: "#platform-help",
    });
    expect(authorize(policy, slack("U0ALICE", { channel: "C0RANDOM" }), ask("triage")).allowed).toBe(false);
    expect(
      authorize(policy, slack("U0ALICE"), ask("triage", "aks-other", clusterId.replace("aks-plant-prod", "aks-other")))
        .allowed,
    ).toBe(false);
    expect(authorize(policy, slack("U0MALLORY"), ask("show-cluster")).allowed).toBe(false);
  });
  it("matches Entra object IDs case-insensitively and clusters by subscription", () => {
    const teams: Requester = {
      platform: "teams",
      user: "Carol",
      userGroups: [],
      entraObjectId: "5d1e8a3c-9b27-4f60-8c4d-3e7a1b9f2c05",
      channel: "19:abc@thread.tacv2",
    };
    expect(authorize(policy, teams, ask("source-ips"))).toEqual({ allowed: true });
    expect(authorize(policy, teams, ask("triage")).allowed).toBe(false);
  });

  it("gives rg/name, the bare name, an alias (any case) and the full ID the same decision, whichever way the rule names the cluster", () => {
    const aliases = { Claims: clusterId };
    const ways = [
      "aks-plant-prod",
      "RG-PLANT-PROD/AKS-PLANT-PROD",
      "claims",
      "CLAIMS",
      clusterId,
      clusterId.toUpperCase(),
    ];
    for (const written of [
      "rg-plant-prod/aks-plant-prod",
      "Claims",
      "claims",
      clusterId.toLowerCase(),
      "AKS-PLANT-PROD",
    ]) {
      const grant: AuthorizationPolicy = {
        contact: null,
        rules: [rule({ slackUsers: ["U0ALICE"], clusters: [written] })],
      };
      for (const typed of ways) {
        // As the chat handler asks: the cluster Azure resolved the typed reference to.
        expect({ written, typed, ...authorize(grant, slack("U0ALICE"), ask("triage", typed), aliases) }).toEqual({
          written,
          typed,
          allowed: true,
        });
      }
      expect(
        authorize(
          grant,
          slack("U0ALICE"),
          ask("triage", "aks-other", clusterId.replace(/aks-plant-prod$/, "aks-other")),
          aliases,
        ).allowed,
      ).toBe(false);
    }
  });

  it("never lets a rule naming rg/name cover a cluster Azure could not resolve from a bare name", () => {
    const grant: AuthorizationPolicy = {
      contact: null,
      rules: [rule({ slackUsers: ["U0ALICE"], clusters: ["rg-plant-prod/aks-plant-prod"] })],
    };
    const unresolved = readClusterReference("aks-plant-prod", {});
    const request = {
      runbook: "triage",
      clusterText: "aks-plant-prod",
      cluster: unresolved ? identityOfReference(unresolved) : null,
    };
    expect(authorize(grant, slack("U0ALICE"), request).allowed).toBe(false);
    const written = readClusterReference("rg-plant-prod/aks-plant-prod", {});
    expect(
      authorize(grant, slack("U0ALICE"), { ...request, cluster: written ? identityOfReference(written) : null })
        .allowed,
    ).toBe(true);
  });
});
