/** One node pool as a snapshot keeps it: how it leaves and what the world sees. */
export interface SnapshotPool {
  readonly name: string;
  readonly kind: string;
  readonly sources: "known" | "unknown" | "none";
  readonly sourceCidrs: readonly string[];
  readonly podSourceCidrs: readonly string[] | null;
  readonly reason: string | null;
}

/**
 * A cluster's egress at one moment, as the drift watch took it from the fleet inventory. One is kept
 * when a cluster is first seen and each time its egress changes: `drift history` lists them.
 */
export interface EgressSnapshot {
  readonly clusterId: string;
  readonly clusterName: string;
  readonly resourceGroup: string;
  readonly subscriptionId: string;
  readonly outboundType: string;
  readonly takenAt: string;
  /** Why Resource Graph could not show its path, or null. */
  readonly needsFullRead: string | null;
  readonly pools: readonly SnapshotPool[];
}
