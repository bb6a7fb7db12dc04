import { beforeAll, describe, expect, it } from "vitest";
import { useEmulator } from "../support/use-emulator";

const ACCESS_DENIED =
  "Access denied.  Please include an 'Authorization: ...' header with a valid API key (https://documentation.onesignal.com/docs/en/keys-and-ids#api-keys).";

const { emulator } = useEmulator({ resetEach: true });
let org: string;

beforeAll(() => {
  org = emulator.organizationApiKey;
});

interface AppBody {
  id: string;
  name: string;
  [key: string]: unknown;
}

async function createApp(body: Record<string, unknown> = { name: "web" }): Promise<AppBody> {
  const created = await emulator.api<AppBody>("POST", "/apps", org, body);
  expect(created.status).toBe(200);
  return created.body;
}

async function createKey(appId: string, name = "server"): Promise<{ token_id: string; formatted_token: string }> {
  const created = await emulator.api<{ token_id: string; formatted_token: string }>(
    "POST",
    `/apps/${appId}/auth/tokens`,
    org,
    { name },
  );
  expect(created.status).toBe(200);
  return created.body;
}

describe("auth", () => {
  it("answers a missing or wrong key with OneSignal's 403", async () => {
    const missing = await fetch(`${emulator.url}/apps`);
    expect(missing.status).toBe(403);
    expect(await missing.json()).toEqual({ errors: [ACCESS_DENIED] });
    const wrong = await emulator.api("GET", "/apps", "os_v2_org_wrong");
    expect(wrong).toEqual({ status: 403, body: { errors: [ACCESS_DENIED] } });
  });

  it("accepts the Key, Basic and Bearer schemes, looking only at the token", async () => {
    for (const scheme of ["Key", "Basic", "Bearer", "key"]) {
      const response = await fetch(`${emulator.url}/apps`, { headers: { authorization: `${scheme} ${org}` } });
      expect(response.status, scheme).toBe(200);
    }
  });

  it("takes an app's key on that app's routes only, and never on organization routes", async () => {
    const app = await createApp();
    const other = await createApp({ name: "other" });
    const { formatted_token: appKey } = await createKey(app.id);
    expect((await emulator.api("GET", `/apps/${app.id}`, appKey)).status).toBe(200);
    expect((await emulator.api("GET", `/apps/${other.id}`, appKey)).status).toBe(403);
    expect((await emulator.api("GET", "/apps", appKey)).status).toBe(403);
    expect((await emulator.api("PUT", `/apps/${app.id}`, appKey, { name: "x" })).status).toBe(403);
    expect((await emulator.api("GET", `/apps/${app.id}/auth/tokens`, appKey)).status).toBe(403);
  });

  it("also serves OneSignal's legacy /api/v1 prefix", async () => {
    expect((await emulator.api("GET", "/api/v1/apps", org)).status).toBe(200);
  });
});

describe("apps", () => {
  it("creates an app with its settings and never echoes write-only ones", async () => {
    const app = await createApp({
      name: "web",
      chrome_web_origin: "https://example.com",
      site_name: "Example",
      apns_env: "production",
      apns_p8: "secret-p8",
      apns_key_id: "KEY",
      apns_p12_password: "pw",
      organization_id: emulator.organizationId,
    });
    expect(app).toMatchObject({
      name: "web",
      chrome_web_origin: "https://example.com",
      site_name: "Example",
      apns_env: "production",
      apns_key_id: "KEY",
      players: 0,
      messageable_players: 0,
      basic_auth_key: null,
      gcm_key: null,
    });
    expect(app.id).toMatch(/^[0-9a-f-]{36}$/);
    for (const writeOnly of ["apns_p8", "apns_p12_password", "organization_id"])
      expect(app).not.toHaveProperty(writeOnly);
    const viewed = await emulator.api<AppBody>("GET", `/apps/${app.id}`, org);
    expect(viewed.body).toEqual(app);
  });

  it("refuses a missing name, a long name, bad settings and another organization as OneSignal does", async () => {
    expect(await emulator.api("POST", "/apps", org, {})).toEqual({
      status: 400,
      body: { errors: ["Name can't be blank"] },
    });
    expect((await emulator.api("POST", "/apps", org, { name: "x".repeat(129) })).status).toBe(400);
    expect((await emulator.api("POST", "/apps", org, { name: "a", apns_env: "dev" })).body).toEqual({
      errors: ["apns_env must be one of sandbox, production"],
    });
    expect(
      (await emulator.api("POST", "/apps", org, { name: "a", fcm_v1_service_account_json: "not base64!" })).status,
    ).toBe(400);
    expect(await emulator.api("POST", "/apps", org, { name: "a", organization_id: "someone-else" })).toEqual({
      status: 404,
      body: { errors: ["Organization not found"] },
    });
    const invalidJson = await fetch(`${emulator.url}/apps`, {
      method: "POST",
      headers: { authorization: `Key ${org}` },
      body: "{",
    });
    expect(invalidJson.status).toBe(400);
  });

  it("lists the organization's apps, oldest first", async () => {
    const first = await createApp({ name: "one" });
    const second = await createApp({ name: "two" });
    const list = await emulator.api<AppBody[]>("GET", "/apps", org);
    expect(list.body.map((app) => app.id)).toEqual([first.id, second.id]);
  });

  it("updates in place, keeps what the body leaves out, and unsets with null", async () => {
    const app = await createApp({ name: "web", chrome_web_origin: "https://a.example", gcm_key: "g" });
    const updated = await emulator.api<AppBody>("PUT", `/apps/${app.id}`, org, { name: "renamed", gcm_key: null });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      id: app.id,
      name: "renamed",
      chrome_web_origin: "https://a.example",
      gcm_key: null,
    });
  });

  it("answers an unknown app with OneSignal's 404", async () => {
    expect(await emulator.api("GET", "/apps/00000000-0000-4000-8000-000000000000", org)).toEqual({
      status: 404,
      body: { errors: ["Couldn't find app with id = 00000000-0000-4000-8000-000000000000"] },
    });
  });

  it("leaves out subscriber counts with view=config", async () => {
    const app = await createApp();
    const config = await emulator.api<AppBody>("GET", `/apps/${app.id}?view=config`, org);
    expect(config.body).not.toHaveProperty("players");
    expect(config.body.name).toBe("web");
  });
});

describe("API keys", () => {
  it("shows the secret on create only, and lists keys without it", async () => {
    const app = await createApp();
    const created = await emulator.api<Record<string, unknown>>("POST", `/apps/${app.id}/auth/tokens`, org, {
      name: "ci",
      ip_allowlist_mode: "explicit",
      ip_allowlist: ["203.0.113.0/24"],
    });
    expect(created.body).toMatchObject({ name: "ci", ip_allowlist_mode: "explicit", ip_allowlist: ["203.0.113.0/24"] });
    expect(created.body.formatted_token).toMatch(/^os_v2_app_[a-z2-7]{100}$/);
    const list = await emulator.api<{ tokens: Record<string, unknown>[] }>("GET", `/apps/${app.id}/auth/tokens`, org);
    expect(list.body.tokens).toHaveLength(1);
    expect(list.body.tokens[0]).toMatchObject({ token_id: created.body.token_id, name: "ci" });
    expect(list.body.tokens[0]).not.toHaveProperty("formatted_token");
  });

  it("updates with an empty answer, rotates to a new secret that replaces the old at once, and deletes", async () => {
    const app = await createApp();
    const key = await createKey(app.id);
    const path = `/apps/${app.id}/auth/tokens/${key.token_id}`;
    expect(await emulator.api("PATCH", path, org, { name: "renamed" })).toEqual({ status: 200, body: {} });
    const rotated = await emulator.api<{ token_id: string; formatted_token: string; name: string }>(
      "POST",
      `${path}/rotate`,
      org,
    );
    expect(rotated.body.token_id).toBe(key.token_id);
    expect(rotated.body.name).toBe("renamed");
    expect(rotated.body.formatted_token).not.toBe(key.formatted_token);
    expect((await emulator.api("GET", `/apps/${app.id}`, key.formatted_token)).status).toBe(403);
    expect((await emulator.api("GET", `/apps/${app.id}`, rotated.body.formatted_token)).status).toBe(200);
    expect(await emulator.api("DELETE", path, org)).toEqual({ status: 200, body: {} });
    expect((await emulator.api("GET", `/apps/${app.id}`, rotated.body.formatted_token)).status).toBe(403);
    expect(await emulator.api("DELETE", path, org)).toEqual({ status: 404, body: { errors: ["Token not found"] } });
  });

  it("enforces an explicit IP allowlist: a key works only from the addresses it lists", async () => {
    const app = await createApp();
    const key = await createKey(app.id);
    const path = `/apps/${app.id}/auth/tokens/${key.token_id}`;
    const view = () => emulator.api("GET", `/apps/${app.id}`, key.formatted_token);
    expect((await view()).status).toBe(200);
    // The tests reach the emulator from 127.0.0.1 (or ::ffff:127.0.0.1).
    await emulator.api("PATCH", path, org, { ip_allowlist_mode: "explicit", ip_allowlist: ["10.0.0.0/8", "::1/128"] });
    expect(await view()).toEqual({ status: 403, body: { errors: [ACCESS_DENIED] } });
    await emulator.api("PATCH", path, org, { ip_allowlist: ["10.0.0.0/8", "127.0.0.0/8"] });
    expect((await view()).status).toBe(200);
    await emulator.api("PATCH", path, org, { ip_allowlist: ["127.0.0.1"] });
    expect((await view()).status).toBe(200);
    await emulator.api("PATCH", path, org, { ip_allowlist_mode: "disabled", ip_allowlist: ["10.0.0.0/8"] });
    expect((await view()).status).toBe(200);
  });

  it("refuses bad allowlists, unknown apps and a seventeenth key", async () => {
    const app = await createApp();
    const tokens = `/apps/${app.id}/auth/tokens`;
    expect((await emulator.api("POST", tokens, org, { name: "k", ip_allowlist_mode: "explicit" })).status).toBe(400);
    expect((await emulator.api("POST", tokens, org, { name: "k", ip_allowlist: ["nope"] })).status).toBe(400);
    expect((await emulator.api("POST", tokens, org, {})).status).toBe(400);
    expect(await emulator.api("GET", "/apps/missing/auth/tokens", org)).toEqual({
      status: 404,
      body: { errors: ["App not found"] },
    });
    for (let index = 0; index < 16; index++) await createKey(app.id, `k${index}`);
    expect((await emulator.api("POST", tokens, org, { name: "one too many" })).status).toBe(400);
  });
});
