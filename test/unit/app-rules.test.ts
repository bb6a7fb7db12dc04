import { describe, expect, it } from "vitest";
import { fromApiApp, toApiAppSettings } from "../../provider/models/app";
import { AppProvider, checkApp } from "../../provider/resources/app";
import { UNKNOWN } from "../../provider/resources/values";

const serviceAccount = JSON.stringify({ project_id: "p", client_email: "c@p.iam", private_key: "-----BEGIN" });

describe("checkApp", () => {
  it("takes origins, not pages: a path, a query or a fragment is refused", () => {
    const failures = checkApp({}, { name: "web", chromeWebOrigin: "https://shop.example/app", siteName: "Shop" });
    expect(failures).toContainEqual({
      property: "chromeWebOrigin",
      reason: "chromeWebOrigin must be an origin such as https://shop.example, without a path, query or fragment",
    });
    expect(checkApp({}, { name: "web", chromeWebOrigin: "https://shop.example/" })).toEqual([]);
  });

  it("refuses text that OneSignal cannot store", () => {
    expect(checkApp({}, { name: "a\u0000b" })).toContainEqual({
      property: "name",
      reason: "name must not contain NUL characters",
    });
  });

  it("accepts a complete app", () => {
    expect(
      checkApp(
        {},
        {
          name: "web",
          chromeWebOrigin: "https://example.com",
          siteName: "Example",
          apnsP8: "key",
          apnsKeyId: "K",
          apnsTeamId: "T",
          apnsBundleId: "com.example",
          fcmServiceAccountJson: serviceAccount,
          apnsEnv: "production",
        },
      ),
    ).toEqual([]);
  });

  it("names the property and the reason", () => {
    expect(checkApp({}, {})).toEqual([{ property: "name", reason: "name is required" }]);
    expect(checkApp({}, { name: "x".repeat(129) })[0]?.reason).toBe("name must be at most 128 characters (it has 129)");
    expect(checkApp({}, { name: "a", apnsEnv: "development" as never })[0]).toEqual({
      property: "apnsEnv",
      reason: 'apnsEnv must be one of "sandbox", "production", not "development"',
    });
    expect(checkApp({}, { name: "a", chromeWebOrigin: "example.com" })[0]?.property).toBe("chromeWebOrigin");
    expect(checkApp({}, { name: "a", siteName: "S" })[0]?.property).toBe("siteName");
    expect(checkApp({}, { name: "a", fcmServiceAccountJson: "{}" })[0]?.property).toBe("fcmServiceAccountJson");
  });

  it("requires the rest of APNs token auth with a p8 key", () => {
    const properties = checkApp({}, { name: "a", apnsP8: "key" }).map((failure) => failure.property);
    expect(properties).toEqual(["apnsKeyId", "apnsTeamId", "apnsBundleId"]);
  });

  it("refuses a changed organizationId and says why", () => {
    const [failure] = checkApp({ name: "a", organizationId: "org-1" }, { name: "a", organizationId: "org-2" });
    expect(failure?.property).toBe("organizationId");
    expect(failure?.reason).toContain("cannot change");
    expect(checkApp({ name: "a", organizationId: "org-1" }, { name: "a", organizationId: "org-1" })).toEqual([]);
  });

  it("tolerates the preview placeholder in any field", () => {
    expect(
      checkApp(
        { organizationId: "org-1" },
        {
          name: UNKNOWN,
          organizationId: UNKNOWN,
          chromeWebOrigin: UNKNOWN,
          apnsEnv: UNKNOWN as never,
          fcmServiceAccountJson: UNKNOWN,
          additionalDataIsRootPayload: UNKNOWN as never,
        },
      ),
    ).toEqual([]);
  });
});

describe("App diff", () => {
  const provider = new AppProvider();

  it("reports no change when nothing owned changed, whatever __provider says", async () => {
    const olds = { name: "a", chromeWebOrigin: "https://x", __provider: "old code" };
    const news = { name: "a", chromeWebOrigin: "https://x", __provider: "new code" };
    expect(await provider.diff("id", olds as never, news as never)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("updates renames and settings in place and never replaces", async () => {
    expect((await provider.diff("id", { name: "a" }, { name: "b" })).changes).toBe(true);
    const removed = await provider.diff("id", { name: "a", gcmKey: "k" }, { name: "a" });
    expect(removed).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("compares write-only secrets by input", async () => {
    expect((await provider.diff("id", { name: "a", apnsP8: "one" }, { name: "a", apnsP8: "two" })).changes).toBe(true);
    expect((await provider.diff("id", { name: "a", apnsP8: "one" }, { name: "a", apnsP8: "one" })).changes).toBe(false);
  });

  it("sees an unknown value as a change", async () => {
    expect((await provider.diff("id", { name: "a" }, { name: UNKNOWN })).changes).toBe(true);
  });
});

describe("app mapping", () => {
  it("maps camelCase settings to OneSignal's fields, null unsets, undefined is left out", () => {
    expect(
      toApiAppSettings({ chromeWebOrigin: "https://x", safariIcon256: "https://i", gcmKey: null, apnsP8: undefined }),
    ).toEqual({ chrome_web_origin: "https://x", safari_icon_256_256: "https://i", gcm_key: null });
  });

  it("base64-encodes a service account given as JSON, and leaves base64 alone", () => {
    const base64 = Buffer.from(serviceAccount).toString("base64");
    expect(toApiAppSettings({ fcmServiceAccountJson: serviceAccount }).fcm_v1_service_account_json).toBe(base64);
    expect(toApiAppSettings({ fcmServiceAccountJson: base64 }).fcm_v1_service_account_json).toBe(base64);
  });

  it("reads an app back in camelCase, without nulls", () => {
    expect(
      fromApiApp({
        id: "1",
        name: "n",
        players: 3,
        messageable_players: 2,
        chrome_web_origin: "https://x",
        gcm_key: null,
        created_at: "2026-01-01T00:00:00.000Z",
      }),
    ).toEqual({
      id: "1",
      name: "n",
      players: 3,
      messageablePlayers: 2,
      chromeWebOrigin: "https://x",
      createdAt: "2026-01-01T00:00:00.000Z",
    });
  });
});
