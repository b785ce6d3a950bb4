// The two libraries the page loads with classic <script> tags from /console/vendor/ (served from
// node_modules, never a CDN).
import type * as AdaptiveCardsModule from "adaptivecards";

declare global {
  const AdaptiveCards: typeof AdaptiveCardsModule;
  function markdownit(options?: { html?: boolean; linkify?: boolean; breaks?: boolean }): {
    render(text: string): string;
  };
}
