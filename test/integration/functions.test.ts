import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getApp, listApps, OneSignalAuthError, OneSignalNotFoundError } from "../../provider/index";
import { runNode } from "../support/processes";
import { useEmulator } from "../support/use-emulator";

const { emulator } = useEmulator();
let appId: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  const created = await emulator.api<{ id: string }>("POST", "/apps", emulator.organizationApiKey, {
    name: "lookup",
    chrome_web_origin: "https://example.com",
  });
  appId = created.body.id;
});
afterEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith("ONESIGNAL_")) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

describe("getApp and listApps", () => {
  it("take the key and URL from their options, and answer in camelCase", async () => {
    const opts = { apiUrl: emulator.url, apiKey: emulator.organizationApiKey };
    const app = await getApp(appId, opts);
    expect(app).toMatchObject({ id: appId, name: "lookup", chromeWebOrigin: "https://example.com", players: 0 });
    expect(app).not.toHaveProperty("chrome_web_origin");
    expect((await listApps(opts)).map((each) => each.id)).toEqual([appId]);
  });

  it("fall back to the environment variables", async () => {
    process.env.ONESIGNAL_API_URL = emulator.url;
    process.env.ONESIGNAL_USER_AUTH_KEY = emulator.organizationApiKey;
    expect((await listApps()).map((each) => each.name)).toEqual(["lookup"]);
  });

  it("getApp also works with the app's own API key", async () => {
    const key = await emulator.api<{ formatted_token: string }>(
      "POST",
      `/apps/${appId}/auth/tokens`,
      emulator.organizationApiKey,
      { name: "reader" },
    );
    process.env.ONESIGNAL_API_URL = emulator.url;
    process.env.ONESIGNAL_APP_API_KEY = key.body.formatted_token;
    expect((await getApp(appId)).name).toBe("lookup");
    await expect(listApps()).rejects.toThrow(/No OneSignal organization API key/);
    await expect(listApps({ apiKey: key.body.formatted_token })).rejects.toBeInstanceOf(OneSignalAuthError);
  });

  it("throw the not-found class for an unknown app", async () => {
    await expect(
      getApp("missing", { apiUrl: emulator.url, apiKey: emulator.organizationApiKey }),
    ).rejects.toBeInstanceOf(OneSignalNotFoundError);
  });
});

describe("pulumi-onesignal CLI", () => {
  const cli = "dist/provider/cli/index.js";

  it("lists apps as JSON and as text", async () => {
    const env = { ONESIGNAL_API_URL: emulator.url, ONESIGNAL_ORGANIZATION_API_KEY: emulator.organizationApiKey };
    const json = await runNode(cli, ["--json", "apps", "list"], env);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { id: string }[]).map((app) => app.id)).toEqual([appId]);
    const text = await runNode(cli, ["apps", "list"], env);
    expect(text.stdout.trim()).toBe(`${appId}  lookup`);
  });

  it("exits 1 with OneSignal's text, never the key, when OneSignal refuses", async () => {
    const result = await runNode(cli, [
      "--api-url",
      emulator.url,
      "--api-key",
      "os_v2_org_not_valid",
      "app",
      "get",
      appId,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("OneSignal answered 403 to GET");
    expect(result.stderr).not.toContain("os_v2_org_not_valid");
  });

  it("exits 2 on bad usage", async () => {
    expect((await runNode(cli, ["apps", "frobnicate"])).code).toBe(2);
  });
});
