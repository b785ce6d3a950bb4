/** A national cloud's endpoints and token audiences. */
export interface AzureCloudEndpoints {
  readonly name: "AzureCloud" | "AzureUSGovernment" | "AzureChinaCloud";
  readonly authorityHost: string;
  readonly resourceManager: string;
  readonly resourceManagerAudience: string;
  /** Log Analytics query endpoint, including `/v1` as the SDK expects. */
  readonly logAnalytics: string;
  readonly logAnalyticsAudience: string;
}

/** The clouds egress-bot can talk to. */
export const azureClouds: Readonly<Record<AzureCloudEndpoints["name"], AzureCloudEndpoints>> = {
  AzureCloud: {
    name: "AzureCloud",
    authorityHost: "https://login.microsoftonline.com",
    resourceManager: "https://management.azure.com",
    resourceManagerAudience: "https://management.azure.com/.default",
    logAnalytics: "https://api.loganalytics.io/v1",
    logAnalyticsAudience: "https://api.loganalytics.io/.default",
  },
  AzureUSGovernment: {
    name: "AzureUSGovernment",
    authorityHost: "https://login.microsoftonline.us",
    resourceManager: "https://management.usgovcloudapi.net",
    resourceManagerAudience: "https://management.usgovcloudapi.net/.default",
    logAnalytics: "https://api.loganalytics.us/v1",
    logAnalyticsAudience: "https://api.loganalytics.us/.default",
  },
  AzureChinaCloud: {
    name: "AzureChinaCloud",
    authorityHost: "https://login.chinacloudapi.cn",
    resourceManager: "https://management.chinacloudapi.cn",
    resourceManagerAudience: "https://management.chinacloudapi.cn/.default",
    logAnalytics: "https://api.loganalytics.azure.cn/v1",
    logAnalyticsAudience: "https://api.loganalytics.azure.cn/.default",
  },
};

/** The cloud named by `AZURE_CLOUD`, or undefined when the name is unknown. */
export function findCloud(name: string | undefined): AzureCloudEndpoints | undefined {
  if (name === undefined || name === "") return azureClouds.AzureCloud;
  return Object.values(azureClouds).find((cloud) => cloud.name.toLowerCase() === name.toLowerCase());
}
