import type { PrivateAddressOwner } from "./model.js";

type Row = Readonly<Record<string, unknown>>;
const textOf = (value: unknown): string => (typeof value === "string" ? value : "");
interface Configuration {
  readonly id?: string;
  readonly properties?: { readonly privateIPAddress?: string; readonly subnet?: { readonly id?: string } };
}

const configurationsOf = (value: unknown): Configuration[] =>
  Array.isArray(value) ? (value as Configuration[]) : typeof value === "string" ? parsed(value) : [];
// Log Analytics and some Resource Graph clients hand dynamic columns over as JSON text.
function parsed(text: string): Configuration[] {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? (value as Configuration[]) : [];
  } catch {
    return [];
  }
}

/**
 * The internal load balancer frontends and NICs, among Resource Graph rows (`privateAddressOwners`),
 * whose private address is exactly one of `addresses` (the query only narrows by substring).
 */
export function privateAddressOwnersOf(rows: readonly Row[], addresses: ReadonlySet<string>): PrivateAddressOwner[] {
  const owners: PrivateAddressOwner[] = [];
  for (const row of rows) {
    const id = textOf(row.id);
    const type = textOf(row.type).toLowerCase();
    const kind = type.endsWith("/loadbalancers")
      ? "internalLoadBalancer"
      : type.endsWith("/networkinterfaces")
        ? "networkInterface"
        : null;
    if (!kind || !id) continue;
    const configurations = configurationsOf(kind === "internalLoadBalancer" ? row.frontends : row.ipConfigurations);
    for (const configuration of configurations) {
      const address = configuration.properties?.privateIPAddress;
      if (!address || !addresses.has(address)) continue;
      owners.push({
        id,
        name: textOf(row.name) || (id.split("/").pop() ?? ""),
        kind,
        address,
        subnetId: configuration.properties?.subnet?.id ?? null,
      });
    }
  }
  return owners;
}
