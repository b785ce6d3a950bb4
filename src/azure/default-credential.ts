import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { AzureCloudEndpoints } from "./clouds.js";

/**
 * `DefaultAzureCredential` (workload identity on AKS, managed identity, Azure CLI login for people),
 * imported on first use: @azure/identity is large and commands that never call Azure should not load it.
 */
export function createDefaultCredential(cloud: AzureCloudEndpoints): TokenCredential {
  let credential: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      credential ??= import("@azure/identity").then(
        ({ DefaultAzureCredential }) => new DefaultAzureCredential({ authorityHost: cloud.authorityHost }),
      );
      return (await credential).getToken(scopes, options);
    },
  };
}
