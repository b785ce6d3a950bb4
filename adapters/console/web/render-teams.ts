// Teams cards drawn by Microsoft's own renderer (the `adaptivecards` package), with markdown on, as
// Teams does. Every parse or validation event is counted: the browser tests require none.

/** What rendering a card reported; the tests read it from `window.egressConsole`. */
export interface CardDiagnostics {
  cardsRendered: number;
  readonly events: string[];
}

export const diagnostics: CardDiagnostics = { cardsRendered: 0, events: [] };

let markdownReady = false;
function enableMarkdown(): void {
  if (markdownReady) return;
  // html: false keeps any HTML in a card's text as text.
  const markdown = markdownit({ html: false, linkify: false, breaks: false });
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = markdown.render(text);
    result.didProcess = true;
  };
  markdownReady = true;
}

// Teams' light theme, with text colours that keep a 4.5:1 contrast on the card background (the
// library's defaults for warning and attention text are too pale for WCAG AA).
const textColours = {
  default: { default: "#242424", subtle: "#5b5b5b" },
  dark: { default: "#000000", subtle: "#404040" },
  light: { default: "#5b5b5b", subtle: "#5b5b5b" },
  accent: { default: "#0f5fa8", subtle: "#0f5fa8" },
  good: { default: "#0e6b0e", subtle: "#0e6b0e" },
  warning: { default: "#7a5200", subtle: "#7a5200" },
  attention: { default: "#b3261e", subtle: "#b3261e" },
};
let hostConfig: InstanceType<typeof AdaptiveCards.HostConfig> | null = null;
const teamsHostConfig = (): InstanceType<typeof AdaptiveCards.HostConfig> =>
  (hostConfig ??= new AdaptiveCards.HostConfig({
    fontFamily: "'Segoe UI', system-ui, -apple-system, sans-serif",
    containerStyles: {
      default: { backgroundColor: "#ffffff", foregroundColors: textColours },
      emphasis: { backgroundColor: "#f5f5f5", foregroundColors: textColours },
    },
  }));

/** Draws a card; `onNext` gets the `egressKey` of a clicked Action.Execute or Action.Submit. */
export function renderTeamsCard(
  json: unknown,
  onNext: (key: string, element: HTMLElement | undefined) => void,
): HTMLElement {
  enableMarkdown();
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = teamsHostConfig();
  const context = new AdaptiveCards.SerializationContext();
  card.parse(json, context);
  const problems: string[] = [];
  for (let index = 0; index < context.eventCount; index++) problems.push(context.getEventAt(index).message);
  for (const event of card.validateProperties().validationEvents) problems.push(event.message);
  diagnostics.cardsRendered++;
  diagnostics.events.push(...problems);
  card.onExecuteAction = (action) => {
    if (action instanceof AdaptiveCards.OpenUrlAction && action.url) window.location.assign(action.url);
    else if (action instanceof AdaptiveCards.SubmitActionBase) {
      const data = action.data as { egressKey?: unknown } | undefined;
      if (typeof data?.egressKey === "string") onNext(data.egressKey, action.renderedElement);
    }
  };
  const host = document.createElement("div");
  host.className = "teams-card";
  const rendered = card.render();
  if (rendered) host.append(rendered);
  if (problems.length > 0) {
    const warning = document.createElement("p");
    warning.className = "card-problems";
    warning.textContent = `This card has ${problems.length} Adaptive Card problem(s): ${problems.join("; ")}`;
    host.append(warning);
  }
  return host;
}
