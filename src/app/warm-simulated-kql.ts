import { warmSimulatedKql as warm } from "../simulated/world-queries.js";

/**
 * Starts the simulated Azure's KQL parser on its worker thread and has it build its grammar, without
 * waiting for that: a server on a simulated world calls this at start-up, so no command waits for it.
 */
export function warmSimulatedKql(): void {
  warm();
}
