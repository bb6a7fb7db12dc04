import { describe, expect, it } from "vitest";
import { importTarget, parseUrn } from "../../provider/plugin/resources";
import { concealKeys, isSecret, reveal, secret, secretKeys } from "../../provider/plugin/rpc-values";
import { checkConfig } from "../../provider/plugin/server";
import { RESOURCES } from "../../provider/resources/registry";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

describe("secret values as the engine sends them", () => {
  it("reveals secrets at any depth and finds the top-level keys that held one", () => {
    const wire = {
      name: "shop",
      apiKey: { [SIG]: SECRET, value: "k" },
      filters: [{ field: "tag", value: { [SIG]: SECRET, value: "v" } }],
    };
    expect(reveal(wire)).toEqual({ name: "shop", apiKey: "k", filters: [{ field: "tag", value: "v" }] });
    expect(secretKeys(wire)).toEqual(["apiKey", "filters"]);
  });

  it("marks the given keys secret once, and leaves unset ones alone", () => {
    const concealed = concealKeys({ token: "t", name: "n", apiKey: undefined }, ["token", "apiKey", "token"]);
    expect(concealed).toEqual({ token: { [SIG]: SECRET, value: "t" }, name: "n", apiKey: undefined });
    expect(secret(concealed.token)).toBe(concealed.token);
    expect(isSecret(concealed.name)).toBe(false);
  });
});

describe("URNs and import ids", () => {
  it("reads the type and name of a URN, nested types included", () => {
    expect(parseUrn("urn:pulumi:dev::proj::onesignal:index:Segment::vips")).toEqual({
      type: "onesignal:index:Segment",
      name: "vips",
    });
    expect(parseUrn("urn:pulumi:dev::proj::my:Component$onesignal:index:App::app")).toEqual({
      type: "onesignal:index:App",
      name: "app",
    });
  });

  it("takes an app by its id, and what lives in an app by <appId>/<id>", () => {
    const app = RESOURCES.App;
    const segment = RESOURCES.Segment;
    expect(importTarget(app, "a1")).toEqual({ id: "a1", props: {} });
    expect(importTarget(segment, "a1/s1")).toEqual({ id: "s1", props: { appId: "a1" } });
    for (const bad of ["s1", "/s1", "a1/", "a1/s1/x"]) {
      expect(importTarget(segment, bad)).toBe(
        `import a Segment by "<appId>/<segmentId>", not "${bad}": it belongs to an app`,
      );
    }
  });
});

describe("the provider configuration's check", () => {
  it("takes the known settings and the engine's own", () => {
    expect(
      checkConfig({
        apiUrl: "http://127.0.0.1:4010",
        organizationApiKey: "k",
        requestTimeoutMs: "500",
        version: "0.1.0",
      }),
    ).toEqual([]);
  });

  it("refuses unknown names, bad URLs and bad durations, naming each", () => {
    const failures = checkConfig({ apiURL: "x", apiUrl: "ftp://example.com", deadlineMs: "soon" });
    expect(failures.map((failure) => failure.property).sort()).toEqual(["apiURL", "apiUrl", "deadlineMs"]);
    expect(failures.find((failure) => failure.property === "apiURL")?.reason).toMatch(
      /not a setting of the onesignal provider/,
    );
    expect(failures.find((failure) => failure.property === "apiUrl")?.reason).toMatch(/http\(s\) URL/);
  });
});
