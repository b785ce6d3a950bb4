import { createRequire } from "node:module";

interface ParseContext {
  eventCount: number;
  getEventAt(index: number): { message: string };
}
interface CardObject {
  parse(json: unknown, context: ParseContext): void;
  validateProperties(): { validationEvents: { message: string }[] };
}
interface AdaptiveCardsModule {
  AdaptiveCard: new () => CardObject;
  SerializationContext: new () => ParseContext;
}

// Microsoft's renderer: the package's main entry needs a DOM, its dist build parses and validates without one.
const adaptiveCards = createRequire(import.meta.url)("adaptivecards/dist/adaptivecards.js") as AdaptiveCardsModule;

/** Parse and validation events of a card, as Microsoft's `adaptivecards` renderer reports them (empty = clean). */
export function cardProblems(json: unknown): string[] {
  const card = new adaptiveCards.AdaptiveCard();
  const context = new adaptiveCards.SerializationContext();
  card.parse(json, context);
  const parse = Array.from({ length: context.eventCount }, (_, index) => context.getEventAt(index).message);
  return [...parse, ...card.validateProperties().validationEvents.map((event) => event.message)];
}
