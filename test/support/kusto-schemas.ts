import { createRequire } from "node:module";

// The real schemas of the tables the product queries (Azure Monitor table reference and Resource
// Graph's `resources` table), declared to Microsoft's Kusto language service so a misspelled column fails.
const common =
  "TenantId:string, SourceSystem:string, Type:string, _ResourceId:string, _SubscriptionId:string, _BilledSize:real, _IsBillable:string";
export const tableSchemas: Readonly<Record<string, string>> = {
  AZFWNetworkRule: `(TimeGenerated:datetime, SourceIp:string, SourcePort:int, DestinationIp:string, DestinationPort:int, Protocol:string, Action:string, ActionReason:string, Policy:string, RuleCollectionGroup:string, RuleCollection:string, Rule:string, ${common})`,
  AZFWApplicationRule: `(TimeGenerated:datetime, SourceIp:string, SourcePort:int, Fqdn:string, TargetUrl:string, DestinationPort:int, Protocol:string, Action:string, ActionReason:string, Policy:string, RuleCollectionGroup:string, RuleCollection:string, Rule:string, IsTlsInspected:bool, WebCategory:string, IsExplicitProxyRequest:bool, ${common})`,
  AZFWDnsQuery: `(TimeGenerated:datetime, SourceIp:string, SourcePort:int, QueryId:int, QueryName:string, QueryType:string, QueryClass:string, Protocol:string, RequestSize:int, DnssecOkBit:bool, EDNS0BufferSize:int, ResponseCode:string, ResponseFlags:string, ResponseSize:int, RequestDurationSecs:real, ErrorNumber:int, ErrorMessage:string, ${common})`,
  AzureDiagnostics: `(TimeGenerated:datetime, Category:string, OperationName:string, msg_s:string, Resource:string, ResourceId:string, ResourceGroup:string, SubscriptionId:string, ResourceProvider:string, ResourceType:string, ${common})`,
  // `type` and `kind` are KQL keywords: bracket-quoted so the schema parses.
  resources:
    "(id:string, name:string, ['type']:string, tenantId:string, ['kind']:string, location:string, resourceGroup:string, subscriptionId:string, managedBy:string, sku:dynamic, plan:dynamic, properties:dynamic, tags:dynamic, identity:dynamic, zones:dynamic, extendedLocation:dynamic)",
};

interface KustoApi {
  Language: {
    Symbols: {
      TableSymbol: { From(schema: string): { WithName(name: string): unknown } };
      Symbol: unknown;
      DatabaseSymbol: { $ctor3: new (name: string, alternate: null, members: unknown, isOpen: boolean) => unknown };
    };
    GlobalState: { Default: { WithDatabase(database: unknown): unknown } };
    KustoCode: {
      ParseAndAnalyze(
        text: string,
        globals: unknown,
      ): {
        GetDiagnostics(): {
          Count: number;
          getItem(index: number): { Code: string; Severity: string; Message: string };
        };
      };
    };
  };
}

let globals: unknown;

/** Analyzes a query against the real table schemas and returns every error diagnostic as `CODE message`. */
export function analyzeAgainstSchemas(query: string): string[] {
  const require = createRequire(import.meta.url);
  require("@kusto/language-service-next/bridge.min.js");
  require("@kusto/language-service-next/Kusto.Language.Bridge.min.js");
  const g = globalThis as unknown as {
    Kusto: KustoApi;
    System: { Collections: { Generic: { List$1(type: unknown): new () => { add(item: unknown): void } } } };
  };
  const language = g.Kusto.Language;
  if (!globals) {
    const members = new (g.System.Collections.Generic.List$1(language.Symbols.Symbol))();
    for (const [name, schema] of Object.entries(tableSchemas))
      members.add(language.Symbols.TableSymbol.From(schema).WithName(name));
    globals = language.GlobalState.Default.WithDatabase(
      new language.Symbols.DatabaseSymbol.$ctor3("egress", null, members, false),
    );
  }
  const diagnostics = language.KustoCode.ParseAndAnalyze(query, globals).GetDiagnostics();
  return Array.from({ length: diagnostics.Count }, (_value, index) => diagnostics.getItem(index))
    .filter((diagnostic) => diagnostic.Severity === "Error")
    .map((diagnostic) => `${diagnostic.Code} ${diagnostic.Message}`);
}
