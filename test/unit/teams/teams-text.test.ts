import { describe, expect, it } from "@jest/globals";
import { commandTextOf } from "../../../adapters/teams/teams-text.js";
import {
  channelMention,
  groupChatMentionWithoutText,
  minimalMessage,
  personalMessage,
  type TeamsPlace,
} from "../../fixtures/chat/teams-activities.js";

const place: TeamsPlace = {
  serviceUrl: "http://127.0.0.1:1/",
  botId: "28:egress-bot",
  botName: "Egress",
  tenantId: "tenant-1",
};

describe("Teams command text", () => {
  it("drops the bot's mention and decodes the &nbsp; Teams puts after it", () => {
    expect(commandTextOf(channelMention(place, "1", "show cluster aks-claims-prod"))).toBe(
      "show cluster aks-claims-prod",
    );
  });

  it("decodes HTML entities in what the user typed", () => {
    expect(
      commandTextOf(
        channelMention(place, "1", "source-ips aks-claims-prod --partner &quot;Contoso &amp; Co&#39;s&quot;&nbsp;"),
      ),
    ).toBe(`source-ips aks-claims-prod --partner "Contoso & Co's"`);
  });

  it("removes the mention by the bot's id when the entity has no text (group chats), and CRLF", () => {
    expect(commandTextOf(groupChatMentionWithoutText(place, "1", "whois 20.50.10.10"))).toBe("whois 20.50.10.10");
  });

  it("keeps other people's mentions and leaves text without a mention alone", () => {
    const activity = {
      ...channelMention(place, "1", "triage aks-claims-prod cc <at>Bob</at>"),
      entities: [
        { type: "mention", text: "<at>Egress</at>", mentioned: { id: place.botId, name: "Egress" } },
        { type: "mention", text: "<at>Bob</at>", mentioned: { id: "29:bob", name: "Bob" } },
      ],
    };
    expect(commandTextOf(activity)).toBe("triage aks-claims-prod cc <at>Bob</at>");
    expect(commandTextOf(personalMessage(place, "1", "  help\r\n"))).toBe("help");
    expect(commandTextOf(minimalMessage(place, "1", "denies aks-claims-prod"))).toBe("denies aks-claims-prod");
  });

  it("unwraps the HTML Teams sends for formatted posts", () => {
    expect(
      commandTextOf({
        text: "<p><at>Egress</at>&nbsp;show cluster aks-plant-prod</p>",
        recipient: { id: place.botId, name: "Egress" },
        entities: [{ type: "mention", mentioned: { id: place.botId, name: "Egress" } }],
      }),
    ).toBe("show cluster aks-plant-prod");
  });
});
