import type { AzureSettings } from "../create-azure-access.js";
import type { Config } from "./read-config.js";

/**
 * The Azure settings of a configuration, for every entry point (server, CLI, console workspaces):
 * one mapping, so a documented key cannot be validated and then left out by one of them.
 */
export function azureSettingsOf(config: Config): AzureSettings {
  return {
    subscriptions: config.subscriptions,
    cloud: config.cloud,
    aliases: config.aliases,
    cacheTtlInMs: config.cacheTtlInMs,
    maxConcurrentPerSubscription: config.maxConcurrentPerSubscription,
    ...(config.world ? { world: config.world } : {}),
  };
}
