import { describe, expect, it } from "vitest";
import { settingsOf } from "../../provider/clients";
import { DEFAULT_API_URL, missingKeyMessage, readStackConfig, resolveSettings } from "../../provider/config";

describe("resolveSettings and settingsOf", () => {
  it("takes the first layer that has a value, then the environment, then the default URL", () => {
    const env = {
      ONESIGNAL_API_URL: "http://env",
      ONESIGNAL_ORGANIZATION_API_KEY: "org-env",
      ONESIGNAL_APP_API_KEY: "app-env",
    };
    expect(settingsOf([{ apiUrl: "http://opts" }, { apiUrl: "http://stack", appApiKey: "app-stack" }], env)).toEqual({
      apiUrl: "http://opts",
      organizationApiKey: "org-env",
      appApiKey: "app-stack",
    });
    expect(settingsOf([], {})).toEqual({
      apiUrl: DEFAULT_API_URL,
      organizationApiKey: undefined,
      appApiKey: undefined,
      requestTimeoutMs: undefined,
      deadlineMs: undefined,
    });
  });

  it("falls back to OneSignal's older variable names", () => {
    expect(settingsOf([], { ONESIGNAL_USER_AUTH_KEY: "user-auth", ONESIGNAL_REST_API_KEY: "rest" })).toMatchObject({
      organizationApiKey: "user-auth",
      appApiKey: "rest",
    });
    expect(
      settingsOf([], { ONESIGNAL_ORGANIZATION_API_KEY: "new", ONESIGNAL_USER_AUTH_KEY: "old" }).organizationApiKey,
    ).toBe("new");
  });

  it("takes durations from options, stack config text or the environment, and refuses bad ones by name", () => {
    expect(settingsOf([{ requestTimeoutMs: 5000 }, { deadlineMs: "60000" }], {})).toMatchObject({
      requestTimeoutMs: 5000,
      deadlineMs: 60000,
    });
    expect(settingsOf([], { ONESIGNAL_DEADLINE_MS: "9000" }).deadlineMs).toBe(9000);
    expect(() => settingsOf([{ deadlineMs: "soon" }], {})).toThrow(
      'deadlineMs must be a whole number of milliseconds (at least 1), not "soon": check the option, onesignal:deadlineMs or ONESIGNAL_DEADLINE_MS.',
    );
    expect(() => settingsOf([], { ONESIGNAL_REQUEST_TIMEOUT_MS: "0" })).toThrow("requestTimeoutMs must be");
  });

  it("reports each unusable setting as a problem naming it, and leaves it unset", () => {
    const { settings, problems } = resolveSettings([{ apiUrl: "ftp://x", requestTimeoutMs: "soon" }], {});
    expect(problems.map((problem) => problem.property)).toEqual(["apiUrl", "requestTimeoutMs"]);
    expect(problems[0]?.reason).toBe(
      'apiUrl must be an http(s) URL such as https://api.onesignal.com, not "ftp://x": check the option, onesignal:apiUrl or ONESIGNAL_API_URL.',
    );
    expect(settings.requestTimeoutMs).toBeUndefined();
    expect(() => settingsOf([{ apiUrl: "ftp://x" }], {})).toThrow("apiUrl must be an http(s) URL");
  });

  it("treats an empty value as not given", () => {
    expect(settingsOf([{ apiUrl: "" }], { ONESIGNAL_API_URL: "" }).apiUrl).toBe(DEFAULT_API_URL);
  });
});

describe("readStackConfig", () => {
  it("reads the namespaced keys", () => {
    const values: Record<string, string> = {
      "onesignal:apiUrl": "http://x",
      "onesignal:organizationApiKey": "o",
      "onesignal:appApiKey": "a",
    };
    expect(readStackConfig({ get: (key) => values[key] })).toEqual({
      apiUrl: "http://x",
      organizationApiKey: "o",
      appApiKey: "a",
    });
  });
});

describe("missingKeyMessage", () => {
  it("says how to give the key", () => {
    expect(missingKeyMessage("organizationApiKey")).toContain(
      "pulumi config set --secret onesignal:organizationApiKey",
    );
    expect(missingKeyMessage("appApiKey")).toContain("ONESIGNAL_APP_API_KEY");
  });
});
