import { createRequire } from "node:module";

/** The part of Microsoft's Kusto language service the simulator uses (it loads as browser-style globals). */
export interface KustoSyntaxNode {
  readonly $$name?: string;
  readonly ChildCount: number;
  readonly IsToken: boolean;
  readonly Text: string;
  readonly Value: unknown;
  GetChild(index: number): KustoSyntaxNode | null;
  readonly [property: string]: unknown;
}

interface KustoGlobal {
  Language: {
    KustoCode: {
      Parse(text: string): {
        Syntax: KustoSyntaxNode;
        GetDiagnostics(): { Count: number; getItem(index: number): { Message: string; Start: number } };
      };
    };
  };
}

let kusto: KustoGlobal | undefined;

/** Loads the Kusto language service once, on first use (it is large; commands that need no KQL never pay for it). */
export function loadKusto(): KustoGlobal {
  if (!kusto) {
    const require = createRequire(import.meta.url);
    require("@kusto/language-service-next/bridge.min.js");
    require("@kusto/language-service-next/Kusto.Language.Bridge.min.js");
    kusto = (globalThis as unknown as { Kusto: KustoGlobal }).Kusto;
  }
  return kusto;
}
