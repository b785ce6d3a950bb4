import { createRequire } from "node:module";
import { KqlUnsupportedError } from "./kql-ast.js";

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
    try {
      require("@kusto/language-service-next/bridge.min.js");
      require("@kusto/language-service-next/Kusto.Language.Bridge.min.js");
    } catch (caught) {
      if ((caught as { code?: unknown }).code !== "MODULE_NOT_FOUND") throw caught;
      // A development dependency: production installs (npm ci --omit=dev, the image) leave it out.
      throw new KqlUnsupportedError(
        "the simulated Azure parses KQL with @kusto/language-service-next, a development dependency this installation left out: run `npm ci` without --omit=dev, or build the image with --build-arg WITH_SIMULATOR=true",
      );
    }
    kusto = (globalThis as unknown as { Kusto: KustoGlobal }).Kusto;
  }
  return kusto;
}
