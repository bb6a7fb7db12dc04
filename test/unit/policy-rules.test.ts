import { describe, expect, it } from "vitest";
import {
  appCountProblems,
  oneSignalType,
  productionKeyProblems,
  segmentNameProblems,
  stackMatches,
  stackOfUrn,
  templateEnglishProblems,
} from "../../policy/rules";

describe("the policy pack's rules", () => {
  it("know the dynamic resources' and the plugin's type tokens, and nothing else", () => {
    expect(oneSignalType("pulumi-nodejs:dynamic/onesignal:ApiKey")).toBe("ApiKey");
    expect(oneSignalType("onesignal:index:Template")).toBe("Template");
    expect(oneSignalType("onesignal:Segment")).toBe("Segment");
    expect(oneSignalType("aws:s3/bucket:Bucket")).toBeUndefined();
    expect(oneSignalType("onesignal:index:Apps")).toBeUndefined();
  });

  it("read the stack from a URN and match it against a glob, case-insensitively", () => {
    expect(stackOfUrn("urn:pulumi:production::shop::onesignal:index:ApiKey::server")).toBe("production");
    expect(stackMatches("production", "prod*")).toBe(true);
    expect(stackMatches("Prod-eu", "prod*")).toBe(true);
    expect(stackMatches("preprod", "prod*")).toBe(false);
    expect(stackMatches("live.1", "live.?")).toBe(true);
    expect(stackMatches("livex1", "live.?")).toBe(false);
  });

  it("refuse a production key open to every address, and pass one with an allowlist or in another stack", () => {
    const open = { name: "server", ipAllowlistMode: "disabled", ipAllowlist: [] };
    expect(productionKeyProblems("production", open, "prod*")).toEqual([
      expect.stringMatching(/^API key "server" of production stack "production" works from every address/),
    ]);
    expect(productionKeyProblems("production", { ...open, ipAllowlistMode: "explicit" }, "prod*")).toHaveLength(1);
    const listed = { name: "server", ipAllowlistMode: "explicit", ipAllowlist: ["203.0.113.7/32"] };
    expect(productionKeyProblems("production", listed, "prod*")).toEqual([]);
    expect(productionKeyProblems("dev", open, "prod*")).toEqual([]);
    expect(productionKeyProblems("live", open, "live")).toHaveLength(1);
  });

  it("want English content for the channel a template uses", () => {
    expect(templateEnglishProblems({ name: "w", channel: "push", contents: { en: "Hi" } })).toEqual([]);
    expect(templateEnglishProblems({ name: "w", channel: "push", contents: { fr: "Salut" } })).toEqual([
      expect.stringMatching(/^template "w" \(push\) has no English contents \(contents.en\)/),
    ]);
    expect(
      templateEnglishProblems({ name: "w", channel: "sms", contents: { en: "Hi" }, headings: { de: "Hallo" } }),
    ).toEqual([expect.stringMatching(/no English headings/)]);
    expect(templateEnglishProblems({ name: "m", channel: "email", emailSubject: "Hi" })).toEqual([
      expect.stringMatching(/^template "m" \(email\) has no emailBody/),
    ]);
    expect(templateEnglishProblems({ name: "m", channel: "email", emailSubject: "Hi", emailBody: "<p>" })).toEqual([]);
  });

  it("refuse a segment named like a built-in one, in any case or spacing", () => {
    expect(segmentNameProblems({ name: "active  users" })).toEqual([
      `segment "active  users" shadows OneSignal's built-in segment "Active Users": give it a name of its own.`,
    ]);
    expect(segmentNameProblems({ name: "Total Subscriptions" })).toHaveLength(1);
    expect(segmentNameProblems({ name: "Active buyers" })).toEqual([]);
  });

  it("count the apps of a stack against the limit", () => {
    expect(appCountProblems("dev", [{ name: "a" }], 1)).toEqual([]);
    expect(appCountProblems("dev", [{ name: "a" }, { name: "b" }], 1)).toEqual([
      expect.stringMatching(/^stack "dev" declares 2 OneSignal apps \("a", "b"\), more than 1/),
    ]);
    expect(appCountProblems("dev", [{ name: "a" }, { name: "b" }], 2)).toEqual([]);
  });
});
