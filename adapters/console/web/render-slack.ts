// A Block Kit preview: the blocks the Slack adapter would post, drawn with DOM nodes only (never
// innerHTML), so nothing in a reply can inject markup into the page.

interface TextObject {
  type?: string;
  text?: string;
}
interface ElementShape {
  type?: string;
  text?: string | TextObject;
  value?: string;
}
interface BlockShape {
  type?: string;
  text?: TextObject;
  elements?: ElementShape[];
}

const textOf = (value: string | TextObject | undefined): string =>
  typeof value === "string" ? value : (value?.text ?? "");

const unescape = (value: string): string => value.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/**
 * Turns Slack mrkdwn into DOM nodes: ```code blocks``` (kept as typed, for tables and allowlists),
 * `code`, *bold*, _italic_, ~strike~ and line breaks.
 */
export function mrkdwn(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  text.split(/```\n?([\s\S]*?)\n?```/).forEach((part, index) => {
    if (index % 2 === 1) {
      const block = document.createElement("pre");
      block.className = "slack-code";
      // It scrolls sideways: reachable by keyboard too.
      block.tabIndex = 0;
      block.textContent = unescape(part);
      fragment.append(block);
    } else if (part.length > 0) fragment.append(inlineMrkdwn(part));
  });
  return fragment;
}

function inlineMrkdwn(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  text.split("\n").forEach((line, index) => {
    if (index > 0) fragment.append(document.createElement("br"));
    const pattern = /`([^`]+)`|\*([^*\n]+)\*|_([^_\n]+)_|~([^~\n]+)~/g;
    let last = 0;
    for (let match = pattern.exec(line); match; match = pattern.exec(line)) {
      fragment.append(unescape(line.slice(last, match.index)));
      const [tag, inner] =
        match[1] !== undefined
          ? ["code", match[1]]
          : match[2] !== undefined
            ? ["strong", match[2]]
            : match[3] !== undefined
              ? ["em", match[3]]
              : ["s", match[4] ?? ""];
      const element = document.createElement(tag);
      element.textContent = unescape(inner);
      fragment.append(element);
      last = match.index + match[0].length;
    }
    fragment.append(unescape(line.slice(last)));
  });
  return fragment;
}

/** Draws one Slack message; `onButton` gets a clicked button's value (the `next` key). */
export function renderSlackMessage(
  message: { text: string; blocks: readonly unknown[] },
  onButton: (value: string, button: HTMLButtonElement) => void,
): HTMLElement {
  const root = document.createElement("div");
  root.className = "slack-message";
  for (const raw of message.blocks) {
    const block = raw as BlockShape;
    if (block.type === "header") {
      const header = document.createElement("p");
      header.className = "slack-header";
      header.textContent = block.text?.text ?? "";
      root.append(header);
    } else if (block.type === "section") {
      const section = document.createElement("p");
      section.className = "slack-section";
      section.append(mrkdwn(block.text?.text ?? ""));
      root.append(section);
    } else if (block.type === "context") {
      const context = document.createElement("p");
      context.className = "slack-context";
      for (const element of block.elements ?? []) context.append(mrkdwn(textOf(element.text)), " ");
      root.append(context);
    } else if (block.type === "divider") {
      root.append(document.createElement("hr"));
    } else if (block.type === "actions") {
      const actions = document.createElement("div");
      actions.className = "slack-actions";
      for (const element of block.elements ?? []) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "slack-button";
        button.textContent = textOf(element.text);
        button.addEventListener("click", () => onButton(element.value ?? "", button));
        actions.append(button);
      }
      root.append(actions);
    }
  }
  return root;
}
