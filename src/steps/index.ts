import { createStepRegistry, type StepRegistry } from "../core/engine/step-registry.js";
import type { StepType } from "../core/engine/step-type.js";
import { clusterGet } from "./azure/cluster-get.js";
import { clusterShow } from "./egress/cluster-show.js";
import { driftCheck } from "./egress/drift-check.js";
import { driftHistory } from "./egress/drift-history.js";
import { whatIf } from "./egress/what-if.js";
import { fleetInventory } from "./egress/fleet-inventory.js";
import { ipWhois } from "./egress/ip-whois.js";
import { partnersList, partnersShow } from "./egress/partner-registry.js";
import { snatObserve } from "./egress/snat-observe.js";
import { resourceGet } from "./azure/resource-get.js";
import { note } from "./builtin/note.js";

/** Every built-in step type: the whole catalog, readable in one screen. */
export const builtinStepTypes: readonly StepType[] = [
  note,
  resourceGet,
  clusterGet,
  clusterShow,
  snatObserve,
  ipWhois,
  fleetInventory,
  partnersList,
  partnersShow,
  driftCheck,
  driftHistory,
  whatIf,
] as readonly StepType[];

/** The registry the bot runs with, optionally extended (tests add their own step types). */
export function createBuiltinRegistry(extra: readonly StepType[] = []): StepRegistry {
  return createStepRegistry([...builtinStepTypes, ...extra]);
}
