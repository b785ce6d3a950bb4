import { checkClusterRef, type ClusterRef } from "../commands/value-syntax.js";

/**
 * A cluster as far as it is known: fully (after Azure resolved the reference) or partly (as
 * written: a bare name knows no resource group). Authorization decides on this, never on raw text.
 */
export interface ClusterIdentity {
  readonly id: string | null;
  readonly name: string;
  readonly resourceGroup: string | null;
  readonly subscriptionId: string | null;
}

/** Aliases from the configuration: a short name → a cluster's ARM ID. */
export type ClusterAliases = Readonly<Record<string, string>>;

/** The ARM ID an alias stands for, matched without regard to case (as Azure matches names), or null. */
export function aliasTarget(text: string, aliases: ClusterAliases): string | null {
  const wanted = text.trim().toLowerCase();
  for (const [name, id] of Object.entries(aliases)) if (name.toLowerCase() === wanted) return id;
  return null;
}

/**
 * A written reference with its alias resolved: the one place both authorization and the Azure
 * lookup turn text into a reference, so they can never read the same words differently.
 */
export function readClusterReference(text: string, aliases: ClusterAliases): ClusterRef | null {
  const target = aliasTarget(text, aliases);
  const checked = checkClusterRef(target ?? text.trim());
  return checked.ok ? checked.value : null;
}

/** What a written reference alone says about the cluster (nothing of what Azure would add). */
export function identityOfReference(reference: ClusterRef): ClusterIdentity {
  switch (reference.kind) {
    case "id":
      return {
        id: reference.text,
        name: reference.name,
        resourceGroup: reference.resourceGroup,
        subscriptionId: reference.subscriptionId,
      };
    case "path":
      return {
        id: null,
        name: reference.name,
        resourceGroup: reference.resourceGroup,
        subscriptionId: reference.subscriptionId ?? null,
      };
    case "name":
      return { id: null, name: reference.name, resourceGroup: null, subscriptionId: null };
  }
}

const same = (a: string | null, b: string | null): boolean =>
  a !== null && b !== null && a.toLowerCase() === b.toLowerCase();

/**
 * Whether a rule's cluster entry (`*`, a name, `rg/name`, `subscription/rg/name`, an ARM ID or an
 * alias) covers a cluster. Case-insensitive like Azure; each part the entry names must be known
 * about the cluster and equal, so `rg/name` covers the cluster a user named bare once Azure has
 * resolved it, and never a cluster whose resource group is unknown.
 */
export function clusterEntryCovers(entry: string, cluster: ClusterIdentity, aliases: ClusterAliases): boolean {
  if (entry.trim() === "*") return true;
  const reference = readClusterReference(entry, aliases);
  if (!reference) return false;
  const wanted = identityOfReference(reference);
  if (!same(wanted.name, cluster.name)) return false;
  if (wanted.resourceGroup !== null && !same(wanted.resourceGroup, cluster.resourceGroup)) return false;
  if (wanted.subscriptionId !== null && !same(wanted.subscriptionId, cluster.subscriptionId)) return false;
  return true;
}
