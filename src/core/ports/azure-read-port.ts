import type { OperationOptions } from "./clock.js";

/** An ARM resource as ARM returns it for GET, with where and when it was read. */
export interface ArmResourceRead {
  /** The resource body, unchanged. */
  readonly body: Record<string, unknown>;
  /** The resource ID as requested. */
  readonly resourceId: string;
  /** The api-version the read used. */
  readonly apiVersion: string;
  /** When the body was read (ISO-8601): cached reads keep their original time. */
  readonly asOf: string;
}

/**
 * Read-only access to Azure. Every method is a read; there is no write port to wire.
 */
export interface AzureReadPort {
  /** True when answers come from a simulated world rather than a real subscription. */
  readonly simulated: boolean;
  /** Reads one ARM resource by ID. Rejects with `AZURE_NOT_FOUND` when it does not exist. */
  getResource(resourceId: string, options?: OperationOptions): Promise<ArmResourceRead>;
}
