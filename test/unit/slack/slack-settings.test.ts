import { describe, expect, it } from "@jest/globals";
import { readSlackSettings } from "../../../adapters/slack/slack-settings.js";

const lists = { workspaces: [], allowExternalUsers: [] };

describe("readSlackSettings", () => {
  it("is on over HTTP with a signing secret and bot token, and over Socket Mode with an app token", () => {
    expect(readSlackSettings({ SLACK_SIGNING_SECRET: "s", SLACK_BOT_TOKEN: "xoxb" }, lists)).toMatchObject({
      enabled: true,
      settings: { signingSecret: "s", botToken: "xoxb", appToken: null },
    });
    expect(readSlackSettings({ SLACK_APP_TOKEN: "xapp", SLACK_BOT_TOKEN: "xoxb" }, lists)).toMatchObject({
      enabled: true,
      settings: { appToken: "xapp" },
    });
  });

  it("is off, saying why, when nothing or only part is set (the reason egress doctor gives)", () => {
    expect(readSlackSettings({}, lists)).toEqual({ enabled: false, reason: "no SLACK_* settings" });
    expect(readSlackSettings({ SLACK_SIGNING_SECRET: "s" }, lists)).toMatchObject({
      enabled: false,
      reason: expect.stringContaining("missing SLACK_BOT_TOKEN"),
    });
    expect(readSlackSettings({ SLACK_APP_TOKEN: "xapp" }, lists)).toMatchObject({ enabled: false });
  });
});
