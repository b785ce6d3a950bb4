import { parseResourceId, resourceKey } from "../core/azure/resource-id.js";
import type { WorldFile } from "./world.js";

type Body = Record<string, unknown>;

/** Child collections ARM embeds in a parent's body: property name → child type segment. */
const embeddedChildren: Readonly<Record<string, { property: string; type: string; armType: string }>> = {
  "microsoft.network/virtualnetworks": {
    property: "subnets",
    type: "subnets",
    armType: "Microsoft.Network/virtualNetworks/subnets",
  },
  "microsoft.network/routetables": {
    property: "routes",
    type: "routes",
    armType: "Microsoft.Network/routeTables/routes",
  },
  "microsoft.containerservice/managedclusters": {
    property: "agentPoolProfiles",
    type: "agentPools",
    armType: "Microsoft.ContainerService/managedClusters/agentPools",
  },
};

const asRecord = (value: unknown): Body =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Body) : {};

/**
 * Every resource a world serves, by lower-cased ID: the resources as given, the children embedded in
 * them (agent pools get the id ARM would give them), and parents with their standalone children
 * merged in, since ARM returns both shapes.
 */
export class WorldIndex {
  private readonly byKey = new Map<string, Body>();
  /** Bodies by the collection path they sit in (`{parent}/{childType}`): built once, so lists are linear. */
  private children = new Map<string, Body[]>();

  constructor(world: WorldFile) {
    for (const [id, body] of Object.entries(world.resources))
      this.byKey.set(resourceKey(id), { ...structuredClone(body), id: typeof body.id === "string" ? body.id : id });
    for (const body of [...this.byKey.values()]) this.indexEmbedded(body);
    this.children = this.groupByCollection();
    for (const [key, body] of [...this.byKey]) this.embedStandalone(key, body);
    // Parents now carry their standalone children: group again so lists return the merged bodies.
    this.children = this.groupByCollection();
  }

  private groupByCollection(): Map<string, Body[]> {
    const groups = new Map<string, Body[]>();
    for (const [key, body] of this.byKey) {
      const collection = key.slice(0, key.lastIndexOf("/"));
      const group = groups.get(collection);
      if (group) group.push(body);
      else groups.set(collection, [body]);
    }
    return groups;
  }

  /** All resource bodies (parents include their children). */
  all(): Body[] {
    return [...this.byKey.values()];
  }

  /** One resource by ID, any casing. */
  get(id: string): Body | undefined {
    return this.byKey.get(resourceKey(id));
  }

  /** Resources of an ARM type (e.g. `Microsoft.Network/natGateways`) in a subscription, optionally a resource group. */
  listByType(subscriptionId: string, armType: string, resourceGroup?: string): Body[] {
    return this.all().filter((body) => {
      const parts = parseResourceId(String(body.id));
      if (!parts || parts.subscriptionId.toLowerCase() !== subscriptionId.toLowerCase()) return false;
      if (resourceGroup !== undefined && parts.resourceGroup.toLowerCase() !== resourceGroup.toLowerCase())
        return false;
      return `${parts.provider}/${parts.types.join("/")}`.toLowerCase() === armType.toLowerCase();
    });
  }

  /** Direct children of a path (`{parentId}/{childType}` or any path prefix one segment up). */
  listChildren(collectionPath: string): Body[] {
    return [...(this.children.get(resourceKey(collectionPath)) ?? [])];
  }

  private indexEmbedded(body: Body): void {
    const parts = parseResourceId(String(body.id));
    const child = parts ? embeddedChildren[`${parts.provider}/${parts.types.join("/")}`.toLowerCase()] : undefined;
    if (!child) return;
    const properties = asRecord(body.properties);
    const list = Array.isArray(properties[child.property]) ? (properties[child.property] as unknown[]) : [];
    for (const item of list) {
      const record = asRecord(item);
      const name = typeof record.name === "string" ? record.name : undefined;
      if (!name) continue;
      const id = typeof record.id === "string" ? record.id : `${String(body.id)}/${child.type}/${name}`;
      const childKey = resourceKey(id);
      if (this.byKey.has(childKey)) continue;
      // Agent pool profiles are flat (no `properties`); the agentPools API returns them wrapped.
      const childBody =
        child.type === "agentPools"
          ? {
              id,
              name,
              type: child.armType,
              properties: Object.fromEntries(Object.entries(record).filter(([field]) => field !== "name")),
            }
          : { ...record, id, type: record.type ?? child.armType };
      this.byKey.set(childKey, childBody);
    }
  }

  private embedStandalone(key: string, body: Body): void {
    const parts = parseResourceId(String(body.id));
    const child = parts ? embeddedChildren[`${parts.provider}/${parts.types.join("/")}`.toLowerCase()] : undefined;
    if (!child || child.type === "agentPools") return;
    const children = this.listChildren(`${String(body.id)}/${child.type}`);
    const properties = { ...asRecord(body.properties) };
    const embedded = Array.isArray(properties[child.property]) ? [...(properties[child.property] as Body[])] : [];
    for (const standalone of children) {
      if (
        !embedded.some(
          (item) => typeof item.name === "string" && item.name.toLowerCase() === String(standalone.name).toLowerCase(),
        )
      )
        embedded.push(standalone);
    }
    this.byKey.set(key, { ...body, properties: { ...properties, [child.property]: embedded } });
  }
}
