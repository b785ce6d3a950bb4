import { describe, expect, it } from "@jest/globals";
import { peerAllowed, serviceUrlRefusal } from "../../../adapters/teams/teams-doors.js";

describe("where Teams replies may go", () => {
  const commercial = { anonymous: false, cloud: "AzureCloud", extraHosts: [] };
  it.each([
    ["https://smba.trafficmanager.net/amer/72f988bf-86f1-41af-91ab-2d7cd011db47/", null],
    ["https://smba.infra.gcc.teams.microsoft.com/gcc/", null],
    ["http://smba.trafficmanager.net/amer/", /HTTPS only/],
    ["https://smba.trafficmanager.net.attacker.example/", /not a Bot Connector host/],
    ["https://smba.infra.gov.teams.microsoft.us/gcch/", /not a Bot Connector host of AzureCloud/],
    ["https://user:pw@smba.trafficmanager.net/", /credentials/],
    ["https://smba.trafficmanager.net/amer/?redirect=x", /no query/],
    ["http://127.0.0.1:3978/", /HTTPS only/],
  ] as const)("with credentials on AzureCloud: %s", (url, expected) => {
    const refusal = serviceUrlRefusal(url, commercial);
    if (expected === null) expect(refusal).toBeNull();
    else expect(refusal).toMatch(expected);
  });

  it("follows the configured cloud and the extra hosts", () => {
    const government = { anonymous: false, cloud: "AzureUSGovernment", extraHosts: ["smba.example.cn"] };
    expect(serviceUrlRefusal("https://smba.infra.dod.teams.microsoft.us/teams/", government)).toBeNull();
    expect(serviceUrlRefusal("https://smba.example.cn/x/", government)).toBeNull();
    expect(serviceUrlRefusal("https://smba.trafficmanager.net/amer/", government)).toMatch(/not a Bot Connector host/);
  });

  it("in anonymous local mode, replies only to this machine", () => {
    const anonymous = { anonymous: true, cloud: "AzureCloud", extraHosts: [] };
    for (const url of ["http://127.0.0.1:3978/", "http://localhost:1/", "http://[::1]:8080/", "http://127.1.2.3/"])
      expect(serviceUrlRefusal(url, anonymous)).toBeNull();
    for (const url of ["https://smba.trafficmanager.net/amer/", "http://10.1.2.3/", "http://127.0.0.1.nip.io/"])
      expect(serviceUrlRefusal(url, anonymous)).toMatch(/only to a serviceUrl on this machine/);
  });
});

describe("which peers anonymous mode answers", () => {
  it("matches addresses and CIDRs of both families, IPv4-mapped IPv6 included", () => {
    expect(peerAllowed("127.0.0.1", ["127.0.0.1/32"])).toBe(true);
    expect(peerAllowed("::ffff:127.0.0.1", ["127.0.0.1/32"])).toBe(true);
    expect(peerAllowed("127.0.0.2", ["127.0.0.1/32"])).toBe(false);
    expect(peerAllowed("::1", ["127.0.0.0/8", "::1/128"])).toBe(true);
    expect(peerAllowed("10.0.0.7", ["10.0.0.0/24"])).toBe(true);
    expect(peerAllowed("10.0.1.7", ["10.0.0.0/24", "not-a-range"])).toBe(false);
    expect(peerAllowed(undefined, ["0.0.0.0/0"])).toBe(false);
  });
});
