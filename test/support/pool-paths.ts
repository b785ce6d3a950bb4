import type { PoolPath } from "../../src/index.js";

/** One system node pool leaving through NAT gateway `ng` from 20.1.2.3, as renderer tests draw it. */
export const natGatewaySystemPool: PoolPath = {
  name: "system",
  mode: "System",
  nodes: "3",
  kind: "natGateway",
  snatBy: "natGateway ng",
  sources: { state: "known", cidrs: ["20.1.2.3/32"], reason: null },
  routes: "effective routes of aks-system-nic-0",
  hops: [
    { role: "subnet", label: "snet-nodes", note: null },
    { role: "natGateway", label: "ng", note: null },
    { role: "publicIps", label: "20.1.2.3/32", note: null },
  ],
  matchesOutboundType: true,
  pods: null,
};
