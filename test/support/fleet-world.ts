// A fleet of AKS clusters as ARM JSON (the shapes of the REST API's GET examples), for the fleet,
// whois and drift tests and benchmarks: clusters spread over subscriptions, each in its own resource
// group, in four egress shapes, with a hub firewall per subscription.
import type { WorldFile } from "../../src/simulated/world.js";

/** The egress shapes the generator deals out in turn. */
export const fleetShapes = ["natGatewayPrefix", "loadBalancer", "hubFirewall", "natGatewayIps"] as const;

/** Options of {@link fleetWorld}. */
export interface FleetWorldOptions {
  readonly clusters: number;
  readonly subscriptions: number;
  readonly location?: string;
}

type Resources = Record<string, Record<string, unknown>>;

/** The subscription ID of the n-th subscription of a fleet. */
export const fleetSubscription = (index: number): string =>
  `${(0x5b7e0000 + index).toString(16).padStart(8, "0")}-9a34-4f08-b6e1-0c2d3e4f5a6b`;

/** The n-th public address of the fleet (20.64.0.0 onwards), so no two resources share one. */
export const fleetAddress = (index: number): string =>
  `20.${64 + ((index >> 16) & 0x3f)}.${(index >> 8) & 0xff}.${index & 0xff}`;

const group = (subscription: string, name: string) => `/subscriptions/${subscription}/resourceGroups/${name}`;
const network = (groupId: string, type: string, name: string) =>
  `${groupId}/providers/Microsoft.Network/${type}/${name}`;

/** Where the pieces of the i-th cluster are, by ID. */
export function fleetCluster(index: number, options: FleetWorldOptions) {
  const subscription = fleetSubscription(index % options.subscriptions);
  const rg = group(subscription, `rg-aks-${index}`);
  const vnet = network(rg, "virtualNetworks", `vnet-${index}`);
  const nodeGroupName = `MC_rg-aks-${index}_aks-${index}_${options.location ?? "westeurope"}`;
  return {
    index,
    shape: fleetShapes[index % fleetShapes.length] ?? "natGatewayPrefix",
    subscription,
    name: `aks-${index}`,
    id: `${rg}/providers/Microsoft.ContainerService/managedClusters/aks-${index}`,
    resourceGroup: rg,
    vnet,
    subnet: `${vnet}/subnets/snet-nodes`,
    natGateway: network(rg, "natGateways", `ng-${index}`),
    prefix: network(rg, "publicIPPrefixes", `ippre-${index}`),
    routeTable: network(rg, "routeTables", `rt-${index}`),
    nodeGroup: group(subscription, nodeGroupName),
    nodeGroupName,
    loadBalancer: network(group(subscription, nodeGroupName), "loadBalancers", "kubernetes"),
    loadBalancerIp: network(group(subscription, nodeGroupName), "publicIPAddresses", `pip-outbound-${index}`),
    hubVnet: network(group(subscription, "rg-hub"), "virtualNetworks", "vnet-hub"),
    firewall: network(group(subscription, "rg-hub"), "azureFirewalls", "afw-hub"),
  };
}

const publicIp = (id: string, address: string, attachedTo: Record<string, unknown> = {}) => ({
  id,
  name: id.split("/").pop(),
  type: "Microsoft.Network/publicIPAddresses",
  location: "westeurope",
  sku: { name: "Standard", tier: "Regional" },
  properties: {
    provisioningState: "Succeeded",
    publicIPAddressVersion: "IPv4",
    publicIPAllocationMethod: "Static",
    ipAddress: address,
    ...attachedTo,
  },
});

/** The hub of a subscription: a VNet with AzureFirewallSubnet and an Azure Firewall with one public IP. */
function addHub(resources: Resources, subscription: string, hubIndex: number): void {
  const rg = group(subscription, "rg-hub");
  const vnet = network(rg, "virtualNetworks", "vnet-hub");
  const firewall = network(rg, "azureFirewalls", "afw-hub");
  const pip = network(rg, "publicIPAddresses", "pip-afw-hub");
  resources[vnet] = {
    id: vnet,
    name: "vnet-hub",
    type: "Microsoft.Network/virtualNetworks",
    location: "westeurope",
    properties: {
      addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
      subnets: [
        {
          id: `${vnet}/subnets/AzureFirewallSubnet`,
          name: "AzureFirewallSubnet",
          properties: {
            addressPrefix: "10.0.1.0/26",
            ipConfigurations: [{ id: `${firewall}/azureFirewallIpConfigurations/ipconfig1` }],
          },
        },
      ],
      virtualNetworkPeerings: [],
    },
  };
  resources[firewall] = {
    id: firewall,
    name: "afw-hub",
    type: "Microsoft.Network/azureFirewalls",
    location: "westeurope",
    properties: {
      sku: { name: "AZFW_VNet", tier: "Standard" },
      ipConfigurations: [
        {
          id: `${firewall}/azureFirewallIpConfigurations/ipconfig1`,
          name: "ipconfig1",
          properties: {
            privateIPAddress: "10.0.1.4",
            subnet: { id: `${vnet}/subnets/AzureFirewallSubnet` },
            publicIPAddress: { id: pip },
          },
        },
      ],
    },
  };
  resources[pip] = publicIp(pip, fleetAddress(0x300000 + hubIndex), {
    ipConfiguration: { id: `${firewall}/azureFirewallIpConfigurations/ipconfig1` },
  });
}

/** A spoke's connected peering to its subscription's hub, forwarded traffic allowed. */
function hubPeering(at: ReturnType<typeof fleetCluster>): Record<string, unknown> {
  return {
    id: `${at.vnet}/virtualNetworkPeerings/to-hub`,
    name: "to-hub",
    properties: {
      peeringState: "Connected",
      remoteVirtualNetwork: { id: at.hubVnet },
      remoteAddressSpace: { addressPrefixes: ["10.0.0.0/16"] },
      allowForwardedTraffic: true,
      useRemoteGateways: false,
    },
  };
}

/** A Standard NAT gateway with one public IP of its own, serving one subnet; returns its ID. */
function addNatGatewayWithIp(
  resources: Resources,
  at: ReturnType<typeof fleetCluster>,
  name: string,
  address: string,
  subnetId: string,
): string {
  const gateway = network(at.resourceGroup, "natGateways", name);
  const ip = network(at.resourceGroup, "publicIPAddresses", `pip-${name}`);
  resources[ip] = publicIp(ip, address, { natGateway: { id: gateway } });
  resources[gateway] = {
    id: gateway,
    name,
    type: "Microsoft.Network/natGateways",
    location: "westeurope",
    sku: { name: "Standard" },
    properties: { publicIpAddresses: [{ id: ip }], subnets: [{ id: subnetId }] },
  };
  return gateway;
}

/** The cluster's AKS load balancer (`kubernetes` in its node resource group) with one outbound IP. */
function addOutboundLoadBalancer(resources: Resources, at: ReturnType<typeof fleetCluster>, address: string): void {
  const frontend = `${at.loadBalancer}/frontendIPConfigurations/outbound-1`;
  const backend = `${at.loadBalancer}/backendAddressPools/aksOutboundBackendPool`;
  resources[at.loadBalancer] = {
    id: at.loadBalancer,
    name: "kubernetes",
    type: "Microsoft.Network/loadBalancers",
    location: "westeurope",
    sku: { name: "Standard", tier: "Regional" },
    properties: {
      frontendIPConfigurations: [
        { id: frontend, name: "outbound-1", properties: { publicIPAddress: { id: at.loadBalancerIp } } },
      ],
      backendAddressPools: [{ id: backend, name: "aksOutboundBackendPool" }],
      outboundRules: [
        {
          id: `${at.loadBalancer}/outboundRules/aksOutboundRule`,
          name: "aksOutboundRule",
          properties: {
            allocatedOutboundPorts: 0,
            frontendIPConfigurations: [{ id: frontend }],
            backendAddressPool: { id: backend },
          },
        },
      ],
    },
  };
  resources[at.loadBalancerIp] = publicIp(at.loadBalancerIp, address, { ipConfiguration: { id: frontend } });
}

/** Adds the i-th cluster and its egress path to a fleet's resources. */
export function addFleetCluster(resources: Resources, index: number, options: FleetWorldOptions): void {
  const at = fleetCluster(index, options);
  const udr = at.shape === "hubFirewall";
  const outboundType =
    at.shape === "loadBalancer" ? "loadBalancer" : udr ? "userDefinedRouting" : "userAssignedNATGateway";
  resources[at.id] = {
    id: at.id,
    name: at.name,
    type: "Microsoft.ContainerService/ManagedClusters",
    location: "westeurope",
    sku: { name: "Base", tier: "Standard" },
    properties: {
      provisioningState: "Succeeded",
      kubernetesVersion: "1.33.3",
      nodeResourceGroup: at.nodeGroupName,
      agentPoolProfiles: [
        { name: "system", mode: "System", count: 3, vmSize: "Standard_D4ds_v5", vnetSubnetID: at.subnet },
        {
          name: "apps",
          mode: "User",
          count: 3,
          maxCount: 10,
          enableAutoScaling: true,
          vmSize: "Standard_D4ds_v5",
          vnetSubnetID: at.subnet,
        },
      ],
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        outboundType,
        loadBalancerSku: "standard",
        ...(at.shape === "loadBalancer"
          ? {
              loadBalancerProfile: {
                managedOutboundIPs: { count: 1 },
                effectiveOutboundIPs: [{ id: at.loadBalancerIp }],
              },
            }
          : {}),
      },
      apiServerAccessProfile: { enablePrivateCluster: false },
    },
  };
  resources[at.vnet] = {
    id: at.vnet,
    name: `vnet-${index}`,
    type: "Microsoft.Network/virtualNetworks",
    location: "westeurope",
    properties: {
      addressSpace: { addressPrefixes: ["10.30.0.0/16"] },
      subnets: [
        {
          id: at.subnet,
          name: "snet-nodes",
          properties: {
            addressPrefix: "10.30.0.0/22",
            defaultOutboundAccess: false,
            ...(at.shape === "natGatewayPrefix" || at.shape === "natGatewayIps"
              ? { natGateway: { id: at.natGateway } }
              : {}),
            ...(udr ? { routeTable: { id: at.routeTable } } : {}),
          },
        },
      ],
      virtualNetworkPeerings: udr ? [hubPeering(at)] : [],
    },
  };
  if (at.shape === "natGatewayPrefix" || at.shape === "natGatewayIps") {
    const ips = [
      network(at.resourceGroup, "publicIPAddresses", `pip-ng-${index}-1`),
      network(at.resourceGroup, "publicIPAddresses", `pip-ng-${index}-2`),
    ];
    resources[at.natGateway] = {
      id: at.natGateway,
      name: `ng-${index}`,
      type: "Microsoft.Network/natGateways",
      location: "westeurope",
      sku: { name: "Standard" },
      properties: {
        idleTimeoutInMinutes: 4,
        ...(at.shape === "natGatewayPrefix"
          ? { publicIpPrefixes: [{ id: at.prefix }] }
          : { publicIpAddresses: ips.map((id) => ({ id })) }),
        subnets: [{ id: at.subnet }],
      },
    };
    if (at.shape === "natGatewayPrefix")
      resources[at.prefix] = {
        id: at.prefix,
        name: `ippre-${index}`,
        type: "Microsoft.Network/publicIPPrefixes",
        location: "westeurope",
        sku: { name: "Standard", tier: "Regional" },
        properties: {
          prefixLength: 30,
          publicIPAddressVersion: "IPv4",
          ipPrefix: `${fleetAddress(index * 4)}/30`,
          natGateway: { id: at.natGateway },
        },
      };
    else
      ips.forEach((id, offset) => {
        resources[id] = publicIp(id, fleetAddress(index * 4 + offset), { natGateway: { id: at.natGateway } });
      });
  }
  if (at.shape === "loadBalancer") addOutboundLoadBalancer(resources, at, fleetAddress(index * 4));
  if (udr) resources[at.routeTable] = defaultRouteTable(at, "10.0.1.4");
}

/** The cluster's route table: 0.0.0.0/0 to an appliance IP, gateway route propagation off. */
function defaultRouteTable(at: ReturnType<typeof fleetCluster>, nextHop: string): Record<string, unknown> {
  return {
    id: at.routeTable,
    name: `rt-${at.index}`,
    type: "Microsoft.Network/routeTables",
    location: "westeurope",
    properties: {
      disableBgpRoutePropagation: true,
      routes: [
        {
          id: `${at.routeTable}/routes/default`,
          name: "default",
          properties: { addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: nextHop },
        },
      ],
    },
  };
}

/** A fleet world: `clusters` clusters dealt round the subscriptions, each subscription with its hub. */
export function fleetWorld(options: FleetWorldOptions): WorldFile {
  const resources: Resources = {};
  for (let index = 0; index < options.subscriptions; index++) addHub(resources, fleetSubscription(index), index);
  for (let index = 0; index < options.clusters; index++) addFleetCluster(resources, index, options);
  return {
    schema: "egress.world/v1",
    description: `A generated fleet of ${options.clusters} clusters in ${options.subscriptions} subscriptions.`,
    resources,
  };
}

type Body = Record<string, unknown> & { properties: Record<string, unknown> };
const bodyOf = (world: WorldFile, id: string): Body => {
  const body = world.resources[id] as Body | undefined;
  if (!body) throw new Error(`no resource ${id} in the fleet`);
  return body;
};
const subnetOf = (world: WorldFile, vnetId: string, subnetId: string): Body => {
  const subnets = bodyOf(world, vnetId).properties.subnets as Body[];
  const subnet = subnets.find((candidate) => candidate.id === subnetId);
  if (!subnet) throw new Error(`no subnet ${subnetId}`);
  return subnet;
};

/** A copy of a fleet world to change (drift scenarios change a copy, never the baseline). */
export const copyOfWorld = (world: WorldFile): WorldFile => structuredClone(world);

/** An IP swap: the first public IP of the i-th cluster's NAT gateway (`natGatewayIps` shape) gets another address. */
export function swapNatGatewayAddress(
  world: WorldFile,
  index: number,
  options: FleetWorldOptions,
  address: string,
): void {
  const at = fleetCluster(index, options);
  bodyOf(world, network(at.resourceGroup, "publicIPAddresses", `pip-ng-${index}-1`)).properties.ipAddress = address;
}

/** A NAT gateway (with one public IP) added to the i-th cluster's node subnet. */
export function addNatGatewayToSubnet(
  world: WorldFile,
  index: number,
  options: FleetWorldOptions,
  address: string,
): void {
  const at = fleetCluster(index, options);
  const gateway = addNatGatewayWithIp(world.resources, at, `ng-added-${index}`, address, at.subnet);
  subnetOf(world, at.vnet, at.subnet).properties.natGateway = { id: gateway };
}

/** A new node pool `batch` on a new subnet of the i-th cluster's VNet, behind a NAT gateway of its own. */
export function addPoolOnNewSubnet(world: WorldFile, index: number, options: FleetWorldOptions, address: string): void {
  const at = fleetCluster(index, options);
  const subnet = `${at.vnet}/subnets/snet-batch`;
  const gateway = addNatGatewayWithIp(world.resources, at, `ng-batch-${index}`, address, subnet);
  (bodyOf(world, at.vnet).properties.subnets as Body[]).push({
    id: subnet,
    name: "snet-batch",
    properties: { addressPrefix: "10.30.8.0/22", defaultOutboundAccess: false, natGateway: { id: gateway } },
  });
  (bodyOf(world, at.id).properties.agentPoolProfiles as Record<string, unknown>[]).push({
    name: "batch",
    mode: "User",
    count: 2,
    vmSize: "Standard_D4ds_v5",
    vnetSubnetID: subnet,
  });
}

/**
 * An outbound type change of the i-th cluster (a `hubFirewall` one): from userDefinedRouting to
 * loadBalancer, its route table taken off the subnet, a load balancer with one outbound IP in place.
 */
export function changeToLoadBalancer(
  world: WorldFile,
  index: number,
  options: FleetWorldOptions,
  address: string,
): void {
  const at = fleetCluster(index, options);
  const cluster = bodyOf(world, at.id);
  const profile = cluster.properties.networkProfile as Record<string, unknown>;
  profile.outboundType = "loadBalancer";
  profile.loadBalancerProfile = { managedOutboundIPs: { count: 1 }, effectiveOutboundIPs: [{ id: at.loadBalancerIp }] };
  delete subnetOf(world, at.vnet, at.subnet).properties.routeTable;
  addOutboundLoadBalancer(world.resources, at, address);
}

/** Peers the i-th cluster's VNet with its subscription's hub (both directions' view from the spoke). */
export function peerWithHub(world: WorldFile, index: number, options: FleetWorldOptions): void {
  const at = fleetCluster(index, options);
  (bodyOf(world, at.vnet).properties.virtualNetworkPeerings as unknown[]).push(hubPeering(at));
}

/** Routes the i-th cluster's node subnet to an appliance IP through a new route table, as userDefinedRouting. */
export function routeToAppliance(world: WorldFile, index: number, options: FleetWorldOptions, nextHop: string): void {
  const at = fleetCluster(index, options);
  world.resources[at.routeTable] = defaultRouteTable(at, nextHop);
  subnetOf(world, at.vnet, at.subnet).properties.routeTable = { id: at.routeTable };
  (bodyOf(world, at.id).properties.networkProfile as Record<string, unknown>).outboundType = "userDefinedRouting";
}

/** Detaches the NAT gateway an {@link addNatGatewayToSubnet} added, leaving it in the world unattached. */
export function detachAddedNatGateway(world: WorldFile, index: number, options: FleetWorldOptions): string {
  const at = fleetCluster(index, options);
  const gateway = network(at.resourceGroup, "natGateways", `ng-added-${index}`);
  delete subnetOf(world, at.vnet, at.subnet).properties.natGateway;
  bodyOf(world, gateway).properties.subnets = [];
  return gateway;
}

/** Sets the outbound type the i-th cluster declares. */
export function declareOutboundType(world: WorldFile, index: number, options: FleetWorldOptions, type: string): void {
  (bodyOf(world, fleetCluster(index, options).id).properties.networkProfile as Record<string, unknown>).outboundType =
    type;
}

/** Moves a node pool of the i-th cluster to another subnet. */
export function movePool(
  world: WorldFile,
  index: number,
  options: FleetWorldOptions,
  pool: string,
  subnetId: string,
): void {
  const profiles = bodyOf(world, fleetCluster(index, options).id).properties.agentPoolProfiles as Record<
    string,
    unknown
  >[];
  const profile = profiles.find((candidate) => candidate.name === pool);
  if (!profile) throw new Error(`no pool ${pool}`);
  profile.vnetSubnetID = subnetId;
}

/** Removes a node pool of the i-th cluster (its subnet and NAT gateway stay). */
export function removePool(world: WorldFile, index: number, options: FleetWorldOptions, pool: string): void {
  const cluster = bodyOf(world, fleetCluster(index, options).id);
  cluster.properties.agentPoolProfiles = (cluster.properties.agentPoolProfiles as Record<string, unknown>[]).filter(
    (candidate) => candidate.name !== pool,
  );
}
