import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createAppWithKey } from "../support/fixtures";
import { useEmulatorApp } from "../support/use-emulator";

const { emulator, app } = useEmulatorApp({ emulator: { exportDelayMs: 200 }, resetEach: true });

type Player = Record<string, unknown> & { id: string };

async function add(body: Record<string, unknown>) {
  return emulator.api<{ success: boolean; id: string; errors?: string[] }>("POST", "/players", app.appKey, {
    app_id: app.appId,
    ...body,
  });
}

describe("/players", () => {
  it("adds a device, answers the same id for a known identifier, and updates it", async () => {
    const first = await add({ device_type: 1, identifier: "fcm-token-1", language: "fr", tags: { plan: "pro" } });
    expect(first).toEqual({ status: 200, body: { success: true, id: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    const again = await add({ device_type: 1, identifier: "fcm-token-1", session_count: 7 });
    expect(again.body.id).toBe(first.body.id);
    const device = await emulator.api<Player>("GET", `/players/${first.body.id}?app_id=${app.appId}`, app.appKey);
    expect(device.body).toMatchObject({
      identifier: "fcm-token-1",
      language: "fr",
      session_count: 7,
      tags: { plan: "pro" },
    });
    const list = await emulator.api<{ total_count: number }>("GET", `/players?app_id=${app.appId}`, app.appKey);
    expect(list.body.total_count).toBe(1);
  });

  it("checks device types and email and SMS identifiers", async () => {
    expect((await add({ device_type: 12 })).status).toBe(400);
    expect((await add({ device_type: 11, identifier: "not-an-email" })).body.errors).toEqual([
      "identifier not-an-email is not a valid email address",
    ]);
    expect((await add({ device_type: 14, identifier: "0612345678" })).body.errors).toEqual([
      "identifier 0612345678 is not a phone number in E.164 format",
    ]);
    expect((await add({ device_type: 11, identifier: "qa@example.com" })).status).toBe(200);
    expect((await add({ device_type: 14, identifier: "+33612345678" })).status).toBe(200);
    const noApp = await emulator.api<{ errors: string[] }>("POST", "/players", app.appKey, { device_type: 1 });
    expect(noApp.status).toBe(400);
    expect(noApp.body.errors).toEqual([
      "app_id not found. You may be missing a Content-Type: application/json header.",
    ]);
  });

  it("edits a device: tags merge, an empty value deletes; unknown ids are refused", async () => {
    const { body } = await add({ device_type: 5, identifier: "https://push.example/1", tags: { a: "1", b: "2" } });
    expect(
      await emulator.api("PUT", `/players/${body.id}`, app.appKey, { app_id: app.appId, tags: { a: "", c: 3 } }),
    ).toEqual({
      status: 200,
      body: { success: true },
    });
    const device = await emulator.api<Player>("GET", `/players/${body.id}?app_id=${app.appId}`, app.appKey);
    expect(device.body.tags).toEqual({ b: "2", c: "3" });
    expect(await emulator.api("PUT", "/players/nope", app.appKey, { app_id: app.appId, language: "en" })).toEqual({
      status: 404,
      body: { errors: ["No user with this id found"] },
    });
  });

  it("edits tags by external user id on every device of that user", async () => {
    await add({ device_type: 0, identifier: "aaa111", external_user_id: "u-1" });
    await add({ device_type: 1, identifier: "bbb222", external_user_id: "u-1" });
    expect(await emulator.api("PUT", `/apps/${app.appId}/users/u-1`, app.appKey, { tags: { level: "5" } })).toEqual({
      status: 200,
      body: { success: true },
    });
    const list = await emulator.api<{ players: Player[] }>("GET", `/players?app_id=${app.appId}`, app.appKey);
    expect(list.body.players.map((player) => player.tags)).toEqual([{ level: "5" }, { level: "5" }]);
  });

  it("deletes, 404 {success:false} when missing", async () => {
    const { body } = await add({ device_type: 1, identifier: "t" });
    expect(await emulator.api("DELETE", `/players/${body.id}?app_id=${app.appId}`, app.appKey)).toEqual({
      status: 200,
      body: { success: true },
    });
    expect(await emulator.api("DELETE", `/players/${body.id}?app_id=${app.appId}`, app.appKey)).toEqual({
      status: 404,
      body: { success: false },
    });
  });

  it("lists in pages of at most 300, sorted by id, and refuses a limit past 300", async () => {
    for (let index = 0; index < 310; index++) await add({ device_type: 1, identifier: `token-${index}` });
    const tooMany = await emulator.api("GET", `/players?app_id=${app.appId}&limit=500`, app.appKey);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toEqual({ errors: ["Invalid limit, must be within 1 to 300"] });
    const page = await emulator.api<{ total_count: number; limit: number; players: Player[] }>(
      "GET",
      `/players?app_id=${app.appId}&offset=300`,
      app.appKey,
    );
    expect(page.body.total_count).toBe(310);
    expect(page.body.limit).toBe(300);
    expect(page.body.players).toHaveLength(10);
    const ids = page.body.players.map((player) => player.id);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe("users and subscriptions", () => {
  it("creates a user with subscriptions (201), then updates it by alias (200), never duplicating", async () => {
    const created = await emulator.api<{
      identity: Record<string, string>;
      subscriptions: { id: string; type: string }[];
    }>("POST", `/apps/${app.appId}/users`, app.appKey, {
      identity: { external_id: "u-1" },
      properties: { tags: { plan: "pro" }, language: "de" },
      subscriptions: [{ type: "Email", token: "u1@example.com" }],
    });
    expect(created.status).toBe(201);
    expect(created.body.identity).toMatchObject({ external_id: "u-1", onesignal_id: expect.any(String) });
    const again = await emulator.api<{ subscriptions: unknown[]; properties: Record<string, unknown> }>(
      "POST",
      `/apps/${app.appId}/users`,
      app.appKey,
      {
        identity: { external_id: "u-1" },
        properties: { tags: { seen: "yes" } },
        subscriptions: [
          { type: "Email", token: "u1@example.com" },
          { type: "SMS", token: "+15555550100" },
        ],
      },
    );
    expect(again.status).toBe(200);
    expect(again.body.subscriptions).toHaveLength(2);
    expect(again.body.properties).toMatchObject({ tags: { plan: "pro", seen: "yes" }, language: "de" });
    const viewed = await emulator.api<{ subscriptions: { type: string; token: string }[] }>(
      "GET",
      `/apps/${app.appId}/users/by/external_id/u-1`,
      app.appKey,
    );
    expect(viewed.body.subscriptions.map((sub) => `${sub.type}:${sub.token}`).sort()).toEqual([
      "Email:u1@example.com",
      "SMS:+15555550100",
    ]);
    // The subscriptions are devices of the v1 API too, with the user's language.
    const players = await emulator.api<{ players: Player[] }>("GET", `/players?app_id=${app.appId}`, app.appKey);
    expect(
      players.body.players.map((player) => [player.device_type, player.language, player.external_user_id]).sort(),
    ).toEqual([
      [11, "de", "u-1"],
      [14, "de", "u-1"],
    ]);
  });

  it("updates properties with PATCH (202), 404s an unknown alias, 409s aliases of two users", async () => {
    await emulator.api("POST", `/apps/${app.appId}/users`, app.appKey, { identity: { external_id: "a" } });
    await emulator.api("POST", `/apps/${app.appId}/users`, app.appKey, {
      identity: { external_id: "b", crm_id: "42" },
    });
    expect(
      await emulator.api("PATCH", `/apps/${app.appId}/users/by/crm_id/42`, app.appKey, {
        properties: { tags: { vip: "1" } },
      }),
    ).toEqual({ status: 202, body: { properties: { tags: { vip: "1" } } } });
    expect((await emulator.api("GET", `/apps/${app.appId}/users/by/external_id/zzz`, app.appKey)).status).toBe(404);
    const conflict = await emulator.api("POST", `/apps/${app.appId}/users`, app.appKey, {
      identity: { external_id: "a", crm_id: "42" },
    });
    expect(conflict).toEqual({
      status: 409,
      body: {
        errors: [{ code: "Conflict", title: "Conflicting aliases", meta: { conflicting_aliases: { crm_id: "42" } } }],
      },
    });
    expect((await emulator.api("POST", `/apps/${app.appId}/users`, app.appKey, { identity: {} })).status).toBe(400);
  });

  it("adds, edits and deletes subscriptions", async () => {
    await emulator.api("POST", `/apps/${app.appId}/users`, app.appKey, { identity: { external_id: "u" } });
    const added = await emulator.api<{ subscription: { id: string; enabled: boolean } }>(
      "POST",
      `/apps/${app.appId}/users/by/external_id/u/subscriptions`,
      app.appKey,
      { subscription: { type: "AndroidPush", token: "fcm-9" } },
    );
    expect(added.status).toBe(201);
    const subscribe = (externalId: string) =>
      emulator.api("POST", `/apps/${app.appId}/users/by/external_id/${externalId}/subscriptions`, app.appKey, {
        subscription: { type: "AndroidPush", token: "fcm-9" },
      });
    // 200: already this user's; 202: moved here from another user.
    expect((await subscribe("u")).status).toBe(200);
    await emulator.api("POST", `/apps/${app.appId}/users`, app.appKey, { identity: { external_id: "v" } });
    expect((await subscribe("v")).status).toBe(202);
    expect((await subscribe("u")).status).toBe(202);
    const path = `/apps/${app.appId}/subscriptions/${added.body.subscription.id}`;
    expect(await emulator.api("PATCH", path, app.appKey, { subscription: { enabled: false } })).toEqual({
      status: 200,
      body: {},
    });
    const user = await emulator.api<{ subscriptions: { enabled: boolean }[] }>(
      "GET",
      `/apps/${app.appId}/users/by/external_id/u`,
      app.appKey,
    );
    expect(user.body.subscriptions[0]?.enabled).toBe(false);
    expect((await emulator.api("DELETE", path, app.appKey)).status).toBe(202);
    expect((await emulator.api("DELETE", path, app.appKey)).status).toBe(404);
  });
});

describe("CSV export and rate limits", () => {
  it("answers 404 NoSuchKey until the file is ready, then serves a gzip CSV with OneSignal's columns", async () => {
    await add({ device_type: 1, identifier: "t1", tags: { plan: "pro" }, country: "FR", lat: 1.5, long: 2.5 });
    await add({ device_type: 11, identifier: "a@example.com" });
    const started = await emulator.api<{ csv_file_url: string }>(
      "POST",
      `/players/csv_export?app_id=${app.appId}`,
      app.appKey,
      {
        extra_fields: ["location", "country"],
      },
    );
    expect(started.body.csv_file_url).toMatch(
      new RegExp(`^${emulator.url}/csv_exports/${app.appId}/users_.*\\.csv\\.gz$`),
    );
    const early = await fetch(started.body.csv_file_url);
    expect(early.status).toBe(404);
    expect(await early.text()).toContain("<Code>NoSuchKey</Code>");
    await new Promise((resolve) => setTimeout(resolve, 250));
    const ready = await fetch(started.body.csv_file_url);
    expect(ready.status).toBe(200);
    const text = gunzipSync(Buffer.from(await ready.arrayBuffer())).toString("utf8");
    const [header, ...rows] = text.trim().split("\n");
    // The export's columns in OneSignal's order: the base ones, then the extra fields asked for.
    const columns =
      "id,identifier,session_count,language,timezone,game_version,device_os,device_type,device_model,ad_id,tags," +
      "last_active,playtime,amount_spent,created_at,invalid_identifier,badge_count,lat,long,country";
    expect(header?.split(",")).toEqual(columns.split(","));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('"{""plan"":""pro""}"');
  });

  it("limits requests per app with 429 and Retry-After once configured", async () => {
    const set = await fetch(`${emulator.url}/_emulator/rate-limits`, {
      method: "POST",
      body: JSON.stringify({ appId: app.appId, requestsPerSecond: 2, burst: 2 }),
    });
    expect(set.status).toBe(201);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let index = 0; index < 4; index++) {
      const response = await fetch(`${emulator.url}/players?app_id=${app.appId}`, {
        headers: { authorization: `Key ${app.appKey}` },
      });
      statuses.push(response.status);
      retryAfter ??= response.headers.get("retry-after");
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(retryAfter).toBe("1");
    await emulator.reset();
    const fresh = await createAppWithKey(emulator);
    expect((await emulator.api("GET", `/players?app_id=${fresh.appId}`, fresh.appKey)).status).toBe(200);
  });
});
