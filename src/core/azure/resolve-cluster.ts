import { checkClusterRef } from "../commands/value-syntax.js";
import { EgressError, ErrorCode } from "../errors.js";
import type { AzureReadPort, ClusterMatch, Read } from "../ports/azure-read-port.js";
import type { OperationOptions } from "../ports/clock.js";

/**
 * Resolves a cluster reference to exactly one cluster. None is `CLUSTER_NOT_FOUND`; several are
 * `CLUSTER_AMBIGUOUS`, listing every candidate so the user can pick `rg/name` or the full ID.
 */
export async function resolveCluster(
  azure: AzureReadPort,
  text: string,
  options: OperationOptions = {},
): Promise<{ match: ClusterMatch; read: Read<readonly ClusterMatch[]> }> {
  const reference = checkClusterRef(text);
  if (!reference.ok)
    throw new EgressError(
      ErrorCode.InputInvalid,
      `"${text.slice(0, 80)}" is not a cluster reference: ${reference.reason}.`,
    );
  const read = await azure.findClusters(reference.value, options);
  const [first, ...others] = read.value;
  if (!first) {
    throw new EgressError(ErrorCode.ClusterNotFound, `No cluster matches "${text}".`, {
      remediation:
        "Check the name, or use rg/name or the cluster's ARM ID; the bot searches the subscriptions in EGRESS_SUBSCRIPTIONS.",
    });
  }
  if (others.length > 0) {
    const candidates = read.value.map(
      (match) => `${match.resourceGroup}/${match.name} (subscription ${match.subscriptionId})`,
    );
    throw new EgressError(
      ErrorCode.ClusterAmbiguous,
      `"${text}" matches ${read.value.length} clusters: ${candidates.join(", ")}.`,
      {
        remediation: "Name one as rg/name, subscription/rg/name or its ARM ID.",
        details: { candidates: read.value.map(({ cluster: _body, ...candidate }) => candidate) },
      },
    );
  }
  return { match: first, read };
}
