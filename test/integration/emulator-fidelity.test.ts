import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { addAndroidDevice } from "../support/fixtures";
import { useEmulatorApp } from "../support/use-emulator";

// The behaviours docs/api-fidelity.md records as honoured after the audit: each documented parameter,
// status and side effect, asked of the emulator over HTTP.

const { emulator, app } = useEmulatorApp({ emulator: { exportDelayMs: 0 }, resetEach: true });

function addDevice(fields: Record<string, unknown>): Promise<string> {
  return addAndroidDevice(emulator, app, fields);
}

async function exportRows(body: Record<string, unknown>): Promise<string[][]> {
  const started = await emulator.api<{ csv_file_url: string }>(
    "POST",
    `/players/csv_export?app_id=${app.appId}`,
    app.appKey,
    body,
  );
  expect(started.status).toBe(200);
  const file = await fetch(started.body.csv_file_url);
  expect(file.status).toBe(200);
  const [, ...rows] = gunzipSync(Buffer.from(await file.arrayBuffer()))
    .toString("utf8")
    .trim()
    .split("\n");
  return rows.map((row) => row.split(","));
}

describe("authorization, per API family", () => {
  it("the Users API answers a request without a key with its structured 401, and a wrong key with 403", async () => {
    const path = `/apps/${app.appId}/users/by/external_id/nobody`;
    expect(await emulator.api("GET", path, null)).toEqual({
      status: 401,
      body: { errors: [{ code: "auth-1", title: "This operation requires 'Authorization' in the HTTP header" }] },
    });
    const wrong = await emulator.api<{ errors: string[] }>("PATCH", `/apps/${app.appId}/subscriptions/x`, "nope", {});
    expect(wrong.status).toBe(403);
    expect(wrong.body.errors[0]).toMatch(/^Access denied\. {2}Please include/);
  });

  it("exporting a notification's events answers 401 with its reference page's text", async () => {
    expect(
      await emulator.api(
        "POST",
        `/notifications/00000000-0000-4000-8000-000000000000/export_events?app_id=${app.appId}`,
        null,
      ),
    ).toEqual({ status: 401, body: { errors: ["Missing or invalid REST API key for the app."] } });
  });

  it("every other family keeps OneSignal's 403 for a missing key", async () => {
    const missing = await emulator.api<{ errors: string[] }>("GET", `/apps/${app.appId}/segments`, null);
    expect(missing.status).toBe(403);
    expect(missing.body.errors[0]).toMatch(/^Access denied\./);
  });
});

describe("documented query parameters: honoured, or refused as not emulated", () => {
  it("refuses the outcome parameters of a notification view and email_auth_hash of a device view", async () => {
    const device = await addDevice({});
    const sent = await emulator.api<{ id: string }>("POST", "/notifications", app.appKey, {
      app_id: app.appId,
      contents: { en: "hi" },
      include_subscription_ids: [device],
    });
    const view = `/notifications/${sent.body.id}?app_id=${app.appId}`;
    expect((await emulator.api("GET", view, app.appKey)).status).toBe(200);
    for (const query of ["outcome_names=os__click.count", "outcome_names[]=os__click.count", "outcome_time_range=1d"]) {
      const refused = await emulator.api<{ errors: string[] }>("GET", `${view}&${query}`, app.appKey);
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0]).toMatch(
        /^The query parameter outcome_\w+ is documented by OneSignal but not emulated/,
      );
    }
    const hashed = await emulator.api("GET", `/players/${device}?app_id=${app.appId}&email_auth_hash=abc`, app.appKey);
    expect(hashed.status).toBe(400);
  });

  it("refuses out-of-range limits, unknown kinds and channels instead of clamping or ignoring them", async () => {
    const refusals: [string, string][] = [
      [`/notifications?app_id=${app.appId}&limit=51`, "Invalid limit, must be within 1 to 50"],
      [`/notifications?app_id=${app.appId}&limit=0`, "Invalid limit, must be within 1 to 50"],
      [`/notifications?app_id=${app.appId}&offset=x`, "Invalid offset, must be a whole number of 0 or more"],
      [`/notifications?app_id=${app.appId}&kind=2`, "Invalid kind, must be 0 (dashboard), 1 (API) or 3 (automated)"],
      [`/templates?app_id=${app.appId}&limit=51`, "Invalid limit, must be within 1 to 50"],
      [`/templates?app_id=${app.appId}&channel=fax`, "Invalid channel, must be one of push, email, sms"],
      [`/players?app_id=${app.appId}&limit=301`, "Invalid limit, must be within 1 to 300"],
    ];
    for (const [path, message] of refusals) {
      expect(await emulator.api("GET", path, app.appKey), path).toEqual({ status: 400, body: { errors: [message] } });
    }
    const page = await emulator.api<{ limit: number }>(
      "GET",
      `/notifications?app_id=${app.appId}&kind=1&limit=7`,
      app.appKey,
    );
    expect(page).toMatchObject({ status: 200, body: { limit: 7 } });
  });
});

describe("CSV export of subscriptions", () => {
  it("exports a segment's subscribed members, its unsubscribed ones only with include_unsubscribed", async () => {
    const pro = await addDevice({ tags: { plan: "pro" } });
    const lapsed = await addDevice({ tags: { plan: "pro" }, notification_types: -2 });
    await addDevice({ tags: { plan: "free" } });
    await emulator.api("POST", `/apps/${app.appId}/segments`, app.appKey, {
      name: "Pro",
      filters: [{ field: "tag", key: "plan", relation: "=", value: "pro" }],
    });
    const ids = (rows: string[][]) => rows.map((row) => row[0]).sort();
    expect(ids(await exportRows({ segment_name: "Pro" }))).toEqual([pro]);
    expect(ids(await exportRows({ segment_name: "Pro", include_unsubscribed: true }))).toEqual([pro, lapsed].sort());
    expect(await exportRows({})).toHaveLength(3);
    const refused = await emulator.api("POST", `/players/csv_export?app_id=${app.appId}`, app.appKey, {
      segment_name: "Nobody",
    });
    expect(refused).toEqual({ status: 400, body: { errors: ["Segment Nobody not found"] } });
  });

  it("fills the timezone_id extra field from the subscription's user", async () => {
    await emulator.api("POST", `/apps/${app.appId}/users`, app.appKey, {
      identity: { external_id: "u-1" },
      properties: { timezone_id: "Europe/Paris" },
      subscriptions: [{ type: "Email", token: "u1@example.com" }],
    });
    const [row] = await exportRows({ extra_fields: ["timezone_id"] });
    expect(row?.at(-1)).toBe("Europe/Paris");
  });
});

describe("messages to addresses OneSignal has not seen", () => {
  it("makes an email subscription for each unseen address, and reaches it", async () => {
    const sent = await emulator.api<{ id: string }>("POST", "/notifications", app.appKey, {
      app_id: app.appId,
      email_subject: "Welcome",
      email_body: "<p>Hi</p>",
      email_to: ["new@example.com"],
    });
    expect(sent.status).toBe(200);
    expect(sent.body.id).not.toBe("");
    const players = await emulator.api<{ players: { identifier: string; device_type: number }[] }>(
      "GET",
      `/players?app_id=${app.appId}`,
      app.appKey,
    );
    expect(players.body.players).toMatchObject([{ identifier: "new@example.com", device_type: 11 }]);
    const bad = await emulator.api("POST", "/notifications", app.appKey, {
      app_id: app.appId,
      email_subject: "Welcome",
      email_body: "<p>Hi</p>",
      email_to: ["not-an-address"],
    });
    expect(bad.status).toBe(400);
  });

  it("makes an SMS subscription for each unseen E.164 number, and lists the others as invalid_phone_numbers", async () => {
    const sent = await emulator.api<{ id: string; errors?: Record<string, unknown> }>(
      "POST",
      "/notifications",
      app.appKey,
      {
        app_id: app.appId,
        contents: { en: "Code 1234" },
        include_phone_numbers: ["+15558675309", "555-0100"],
      },
    );
    expect(sent.status).toBe(200);
    expect(sent.body.id).not.toBe("");
    expect(sent.body.errors).toEqual({ invalid_phone_numbers: ["555-0100"] });
    const again = await emulator.api<{ id: string; errors?: unknown }>("POST", "/notifications", app.appKey, {
      app_id: app.appId,
      contents: { en: "Code 5678" },
      include_phone_numbers: ["+15558675309"],
    });
    expect(again.body.errors).toBeUndefined();
    const players = await emulator.api<{ total_count: number }>("GET", `/players?app_id=${app.appId}`, app.appKey);
    expect(players.body.total_count).toBe(1);
  });
});

describe("documented fields of an app", () => {
  it("shows the web push key, the channels, the FCM sender and the attribution windows", async () => {
    const created = await emulator.api<Record<string, unknown>>("POST", "/apps", emulator.organizationApiKey, {
      name: "web",
      chrome_web_origin: "https://example.com",
      conversion_attribution_window_push: 24,
    });
    expect(created.body).toMatchObject({
      fcm_sender_id: null,
      conversion_attribution_window_push: 24,
      conversion_attribution_window_email: null,
      channels: {
        push: { enabled: true, platforms: ["chrome", "firefox", "edge"] },
        email: { enabled: false, platforms: [] },
        sms: { enabled: false, platforms: [] },
      },
    });
    // An uncompressed P-256 point: 65 bytes, the first 0x04.
    const key = Buffer.from(String(created.body.chrome_web_key), "base64url");
    expect(key).toHaveLength(65);
    expect(key[0]).toBe(4);
    const refused = await emulator.api("POST", "/apps", emulator.organizationApiKey, {
      name: "x",
      conversion_attribution_window_sms: "a day",
    });
    expect(refused.status).toBe(400);
  });

  it("shows a subscription's app", async () => {
    await emulator.api("POST", `/apps/${app.appId}/users`, app.appKey, {
      identity: { external_id: "u-2" },
      subscriptions: [{ type: "SMS", token: "+15550100200" }],
    });
    const user = await emulator.api<{ subscriptions: Record<string, unknown>[] }>(
      "GET",
      `/apps/${app.appId}/users/by/external_id/u-2`,
      app.appKey,
    );
    expect(user.body.subscriptions).toMatchObject([
      { app_id: app.appId, type: "SMS", token: "+15550100200", rooted: false },
    ]);
  });

  it("shows a template's documented content fields: platforms of a push template, an email's preheader", async () => {
    const push = await emulator.api<{ content: Record<string, unknown> }>("POST", "/templates", app.appKey, {
      app_id: app.appId,
      name: "push",
      contents: { en: "Hi" },
      isAndroid: false,
    });
    expect(push.body.content).toMatchObject({ isIos: true, isAndroid: false, isHuawei: true, email_preheader: null });
    const email = await emulator.api<{ content: Record<string, unknown> }>("POST", "/templates", app.appKey, {
      app_id: app.appId,
      name: "email",
      isEmail: true,
      email_subject: "Hello",
      email_body: "<p>Hi</p>",
      email_preheader: "A short preview",
    });
    expect(email.body.content).toMatchObject({ email_preheader: "A short preview", isIos: null, isEmail: true });
    const refused = await emulator.api("POST", "/templates", app.appKey, {
      app_id: app.appId,
      name: "bad",
      contents: { en: "Hi" },
      isIos: "yes",
    });
    expect(refused).toEqual({ status: 400, body: { success: false, errors: ["'isIos' must be true or false"] } });
    const dynamic = await emulator.api("POST", "/templates", app.appKey, {
      app_id: app.appId,
      name: "dynamic",
      contents: { en: "Hi {{ name }}" },
      dynamic_content: { name: "x" },
    });
    expect(dynamic).toEqual({
      status: 400,
      body: {
        success: false,
        errors: ["'dynamic_content' is documented by OneSignal but not emulated by onesignal-emulator"],
      },
    });
  });
});

describe("documented bounds and defaults of a message", () => {
  /** The Unix time a message sent with this `send_after` text is scheduled for, as its view shows it. */
  async function scheduledAt(sendAfter: string): Promise<number> {
    await addDevice({});
    const sent = await emulator.api<{ id: string }>("POST", "/notifications", app.appKey, {
      app_id: app.appId,
      contents: { en: "later" },
      included_segments: ["Subscribed Users"],
      send_after: sendAfter,
    });
    const view = await emulator.api<{ send_after: number }>(
      "GET",
      `/notifications/${sent.body.id}?app_id=${app.appId}`,
      app.appKey,
    );
    return view.body.send_after;
  }

  it("reads a send_after without a zone at UTC-11:00, as OneSignal's API does", async () => {
    expect(await scheduledAt("2099-09-24 14:00:00")).toBe(Date.parse("2099-09-25T01:00:00Z") / 1000);
  });

  it("reads a send_after as JavaScript's Date prints it, the zone's name in brackets after its offset", async () => {
    expect(await scheduledAt("Thu Sep 24 2099 14:00:00 GMT-0700 (PDT)")).toBe(
      Date.parse("2099-09-24T21:00:00Z") / 1000,
    );
  });

  it("refuses more than 20,000 subscriptions or aliases in one message", async () => {
    const ids = Array.from(
      { length: 20_001 },
      (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
    );
    const tooMany = await emulator.api<{ errors: string[] }>("POST", "/notifications", app.appKey, {
      app_id: app.appId,
      contents: { en: "hi" },
      include_subscription_ids: ids,
    });
    expect(tooMany).toEqual({
      status: 400,
      body: { errors: ["include_subscription_ids takes at most 20000 entries"] },
    });
    const aliases = await emulator.api<{ errors: string[] }>("POST", "/notifications", app.appKey, {
      app_id: app.appId,
      contents: { en: "hi" },
      target_channel: "push",
      include_aliases: { external_id: ids },
    });
    expect(aliases).toEqual({ status: 400, body: { errors: ["include_aliases takes at most 20000 ids"] } });
  });

  it("keeps the per-user delivery options it checks, and shows them in the view", async () => {
    await addDevice({});
    const base = { app_id: app.appId, contents: { en: "hi" }, included_segments: ["Subscribed Users"] };
    const sent = await emulator.api<{ id: string }>("POST", "/notifications", app.appKey, {
      ...base,
      throttle_rate_per_minute: 100,
      delayed_option: "timezone",
      delivery_time_of_day: "9:00AM",
    });
    const view = await emulator.api("GET", `/notifications/${sent.body.id}?app_id=${app.appId}`, app.appKey);
    expect(view.body).toMatchObject({
      throttle_rate_per_minute: 100,
      delayed_option: "timezone",
      delivery_time_of_day: "9:00AM",
    });
    for (const [field, value] of [
      ["throttle_rate_per_minute", "fast"],
      ["delivery_time_of_day", "breakfast"],
    ] as const) {
      const refused = await emulator.api<{ errors: string[] }>("POST", "/notifications", app.appKey, {
        ...base,
        [field]: value,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0]).toMatch(new RegExp(`^${field} must be`));
    }
  });

  it("refuses values outside the documented sets and sizes of its options", async () => {
    await addDevice({});
    const base = { app_id: app.appId, contents: { en: "hi" }, included_segments: ["Subscribed Users"] };
    const refusals: [Record<string, unknown>, unknown][] = [
      [{ ios_badgeType: "Add" }, "ios_badgeType must be one of None, SetTo, Increase"],
      [
        { ios_interruption_level: "loud" },
        "ios_interruption_level must be one of active, passive, time_sensitive, critical",
      ],
      [{ huawei_msg_type: "sms" }, "huawei_msg_type must be one of message, data"],
      [{ huawei_category: "GAMES" }, expect.stringMatching(/^huawei_category must be one of IM, VOIP, /)],
      [{ huawei_badge_set_num: 100 }, "huawei_badge_set_num must be a whole number from 0 to 99"],
      [{ huawei_badge_add_num: 0 }, "huawei_badge_add_num must be a whole number from 1 to 99"],
      [{ huawei_badge_add_num: 1.5 }, "huawei_badge_add_num must be a whole number from 1 to 99"],
      [{ ios_relevance_score: 1.47 }, "ios_relevance_score must be a number from 0 to 1"],
      [{ custom_data: { text: "x".repeat(2100) } }, "custom_data must be at most 2048 bytes"],
    ];
    for (const [fields, message] of refusals) {
      expect(await emulator.api("POST", "/notifications", app.appKey, { ...base, ...fields })).toEqual({
        status: 400,
        body: { errors: [message] },
      });
    }
    const accepted = await emulator.api<{ id: string }>("POST", "/notifications", app.appKey, {
      ...base,
      ios_badgeType: "Increase",
      ios_interruption_level: "time_sensitive",
      huawei_category: "MARKETING",
      huawei_badge_set_num: 0,
      huawei_badge_add_num: 99,
      ios_relevance_score: 0.5,
      custom_data: { cart: ["sweater"] },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.id).not.toBe("");
  });

  it("counts the BCC copies of an email, and shows no throttle as null", async () => {
    const sent = await emulator.api<{ id: string }>("POST", "/notifications", app.appKey, {
      app_id: app.appId,
      email_subject: "Receipt",
      email_body: "<p>Thanks</p>",
      email_bcc: ["audit@example.com", "books@example.com"],
      email_to: ["a@example.com", "b@example.com", "c@example.com"],
    });
    const view = await emulator.api("GET", `/notifications/${sent.body.id}?app_id=${app.appId}`, app.appKey);
    expect(view.body).toMatchObject({ successful: 3, bcc_sent: 6, throttle_rate_per_minute: null });
  });

  it("leaves out the platforms a message turns off with its platform flags", async () => {
    await addDevice({ device_type: 0, identifier: "abc123" });
    await addDevice({ device_type: 1 });
    await addDevice({ device_type: 5, identifier: "https://push.example.com/1" });
    const send = async (flags: Record<string, unknown>) => {
      const sent = await emulator.api<{ id: string }>("POST", "/notifications", app.appKey, {
        app_id: app.appId,
        contents: { en: "hi" },
        included_segments: ["Subscribed Users"],
        ...flags,
      });
      const view = await emulator.api<{ successful: number }>(
        "GET",
        `/notifications/${sent.body.id}?app_id=${app.appId}`,
        app.appKey,
      );
      return view.body.successful;
    };
    expect(await send({})).toBe(3);
    expect(await send({ isAndroid: false })).toBe(2);
    expect(await send({ isAnyWeb: false, isIos: false })).toBe(1);
    const refused = await emulator.api("POST", "/notifications", app.appKey, {
      app_id: app.appId,
      contents: { en: "hi" },
      included_segments: ["Subscribed Users"],
      isIos: "no",
    });
    expect(refused).toEqual({ status: 400, body: { errors: ["isIos must be true or false"] } });
  });
});

describe("purchases", () => {
  it("records purchase deltas, which bought_sku and amount_spent filters then read", async () => {
    await emulator.api("POST", `/apps/${app.appId}/users`, app.appKey, {
      identity: { external_id: "buyer" },
      subscriptions: [{ type: "AndroidPush", token: "fcm-buyer" }],
    });
    const patched = await emulator.api("PATCH", `/apps/${app.appId}/users/by/external_id/buyer`, app.appKey, {
      deltas: { purchases: [{ sku: "pro", amount: "4.99", iso: "USD", count: 2 }] },
    });
    expect(patched.status).toBe(202);
    const count = async (filters: Record<string, unknown>[]) => {
      const created = await emulator.api<{ id: string }>("POST", `/apps/${app.appId}/segments`, app.appKey, {
        name: `s-${Math.random()}`,
        filters,
      });
      const view = await emulator.api<{ subscriber_count: number }>(
        "GET",
        `/apps/${app.appId}/segments/${created.body.id}`,
        app.appKey,
      );
      return view.body.subscriber_count;
    };
    expect(await count([{ field: "bought_sku", key: "pro", relation: ">", value: "9" }])).toBe(1);
    expect(await count([{ field: "bought_sku", key: "pro", relation: ">", value: "10" }])).toBe(0);
    expect(await count([{ field: "bought_sku", key: "team", relation: "=", value: "0" }])).toBe(1);
    expect(await count([{ field: "amount_spent", relation: ">", value: "9.9" }])).toBe(1);
    const bad = await emulator.api("PATCH", `/apps/${app.appId}/users/by/external_id/buyer`, app.appKey, {
      deltas: { purchases: [{ sku: "pro", amount: "a lot", iso: "USD" }] },
    });
    expect(bad.status).toBe(400);
  });
});

describe("a user's subscriptions", () => {
  it("past 20, the least recently active leave the user as anonymous users; 3 emails stay", async () => {
    const emails = ["a", "b", "c"].map((name) => ({ type: "Email", token: `${name}@example.com` }));
    const pushes = Array.from({ length: 17 }, (_, index) => ({ type: "AndroidPush", token: `fcm-${index}` }));
    await emulator.api("POST", `/apps/${app.appId}/users`, app.appKey, {
      identity: { external_id: "busy" },
      subscriptions: [...emails, ...pushes],
    });
    await fetch(`${emulator.url}/_emulator/clock`, { method: "POST", body: JSON.stringify({ advanceMs: 3_600_000 }) });
    const added = await emulator.api("POST", `/apps/${app.appId}/users/by/external_id/busy/subscriptions`, app.appKey, {
      subscription: { type: "AndroidPush", token: "fcm-new" },
    });
    expect(added.status).toBe(201);
    const user = await emulator.api<{
      properties: { first_active: number; last_active: number };
      subscriptions: { token: string; type: string }[];
    }>("GET", `/apps/${app.appId}/users/by/external_id/busy`, app.appKey);
    const tokens = user.body.subscriptions.map((subscription) => subscription.token);
    expect(tokens).toHaveLength(20);
    // The three emails are the least active, yet stay; the oldest push subscription left.
    expect(tokens).toEqual(expect.arrayContaining(["a@example.com", "b@example.com", "c@example.com", "fcm-new"]));
    expect(tokens).not.toContain("fcm-0");
    expect(user.body.properties.last_active).toBeGreaterThan(user.body.properties.first_active);
    const players = await emulator.api<{ players: { identifier: string; external_user_id: string | null }[] }>(
      "GET",
      `/players?app_id=${app.appId}`,
      app.appKey,
    );
    expect(players.body.players.find((player) => player.identifier === "fcm-0")?.external_user_id).toBeNull();
  });
});

describe("View messages paged by time_offset (View messages reference page)", () => {
  interface Page {
    notifications: { id: string }[];
    next_time_offset: string;
  }

  async function clockMs(): Promise<number> {
    const clock = (await (await fetch(`${emulator.url}/_emulator/clock`)).json()) as { now: string };
    return Date.parse(clock.now);
  }

  async function send(extra: Record<string, unknown> = {}): Promise<string> {
    const device = await addDevice({});
    const sent = await emulator.api<{ id: string }>("POST", "/notifications", app.appKey, {
      app_id: app.appId,
      include_subscription_ids: [device],
      contents: { en: "x" },
      ...extra,
    });
    expect(sent.status).toBe(200);
    return sent.body.id;
  }

  async function page(timeOffset: string, limit = 50): Promise<Page> {
    const answer = await emulator.api<Page>(
      "GET",
      `/notifications?app_id=${app.appId}&limit=${limit}&time_offset=${encodeURIComponent(timeOffset)}`,
      app.appKey,
    );
    expect(answer.status).toBe(200);
    return answer.body;
  }

  const ids = (answer: Page) => answer.notifications.map((notification) => notification.id);

  it("excludes the messages at exactly the time_offset, and gives the oldest first", async () => {
    const at = Math.ceil((await clockMs()) / 1000) * 1000 + 3_600_000;
    const later = await send({ send_after: new Date(at + 1000).toISOString() });
    const exactly = await send({ send_after: new Date(at).toISOString() });
    await send();
    expect(ids(await page(new Date(at).toISOString()))).toEqual([later]);
    expect(ids(await page(new Date(at - 1).toISOString()))).toEqual([exactly, later]);
  });

  it("continues after a cursor taken within a second, skipping none made later in that second", async () => {
    // At the start of a second, so that the messages below are made within one second.
    const now = await clockMs();
    await fetch(`${emulator.url}/_emulator/clock`, {
      method: "POST",
      body: JSON.stringify({ advanceMs: 1000 - (now % 1000) }),
    });
    const start = new Date((await clockMs()) - 1).toISOString();
    const first = await send();
    let cursor = (await page(start)).next_time_offset;
    const made = [first];
    for (let index = 0; index < 6; index++) {
      const next = await send();
      made.push(next);
      const answer = await page(cursor);
      expect(ids(answer)).toEqual([next]);
      cursor = answer.next_time_offset;
    }
    expect(ids(await page(cursor))).toEqual([]);
    // Oldest first, in the order they were made, one page at a time as well.
    const walked: string[] = [];
    for (let offset = start; ; ) {
      const answer = await page(offset, 1);
      if (answer.notifications.length === 0) break;
      walked.push(...ids(answer));
      offset = answer.next_time_offset;
    }
    expect(walked).toEqual(made);
  });
});

describe("statuses and bodies of each route's reference page", () => {
  it("Edit tags with external user id: 404 'No players found for given external_user_id'", async () => {
    expect(await emulator.api("PUT", `/apps/${app.appId}/users/nobody`, app.appKey, { tags: { a: "1" } })).toEqual({
      status: 404,
      body: { errors: ["No players found for given external_user_id"] },
    });
  });

  it("View player and Edit player: an unknown device is a 404", async () => {
    const missing = { status: 404, body: { errors: ["No user with this id found"] } };
    expect(await emulator.api("GET", `/players/nope?app_id=${app.appId}`, app.appKey)).toEqual(missing);
    expect(await emulator.api("PUT", "/players/nope", app.appKey, { app_id: app.appId, language: "en" })).toEqual(
      missing,
    );
  });

  it("a message id that is no UUID is a 400 on every message route; an unknown one a 404", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    const calls = (id: string) => [
      emulator.api("POST", `/notifications/${id}/export_events?app_id=${app.appId}`, app.appKey),
      emulator.api("GET", `/notifications/${id}?app_id=${app.appId}`, app.appKey),
      emulator.api("DELETE", `/notifications/${id}?app_id=${app.appId}`, app.appKey),
      emulator.api("POST", `/notifications/${id}/history`, app.appKey, { app_id: app.appId, events: "sent" }),
    ];
    for (const answer of await Promise.all(calls("not-a-message"))) {
      expect(answer).toEqual({
        status: 400,
        body: { errors: ["Incorrect message_id format (not a valid UUID): not-a-message"] },
      });
    }
    for (const answer of await Promise.all(calls(unknown))) {
      expect(answer).toEqual({ status: 404, body: { errors: ["Notification not found"] } });
    }
  });

  it("a segment or template id that is no UUID is a 400, before the 404 of an unknown one", async () => {
    const segment = (id: string) => `/apps/${app.appId}/segments/${id}`;
    const template = (id: string) => `/templates/${id}?app_id=${app.appId}`;
    const calls = (id: string) => [
      emulator.api("GET", segment(id), app.appKey),
      emulator.api("PATCH", segment(id), app.appKey, { name: "n" }),
      emulator.api("DELETE", segment(id), app.appKey),
      emulator.api("GET", template(id), app.appKey),
      emulator.api("PATCH", template(id), app.appKey, { name: "n" }),
      emulator.api("DELETE", template(id), app.appKey),
    ];
    const labels = ["segment_id", "segment_id", "segment_id", "template_id", "template_id", "template_id"];
    const malformed = await Promise.all(calls("nope"));
    expect(malformed).toEqual(
      labels.map((label) => ({
        status: 400,
        body: { errors: [`Incorrect ${label} format (not a valid UUID): nope`] },
      })),
    );
    const unknown = await Promise.all(calls("00000000-0000-4000-8000-000000000000"));
    expect(unknown.map((answer) => answer.status)).toEqual([404, 404, 404, 404, 404, 404]);
  });

  it("the Users API's 400s carry items with a code and a title, for every refusal", async () => {
    const users = `/apps/${app.appId}/users`;
    const noIdentity = await emulator.api("POST", users, app.appKey, { properties: {} });
    expect(noIdentity).toEqual({
      status: 400,
      body: {
        errors: [{ code: "bad-request", title: "identity is required: at least one alias, such as external_id" }],
      },
    });
    const notObject = await emulator.api("POST", users, app.appKey, ["not", "an", "object"]);
    expect(notObject).toEqual({
      status: 400,
      body: { errors: [{ code: "bad-request", title: "The request body must be a JSON object" }] },
    });
    const malformed = await fetch(`${emulator.url}${users}`, {
      method: "POST",
      headers: { Authorization: `Key ${app.appKey}`, "Content-Type": "application/json" },
      body: "{nope",
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      errors: [{ code: "bad-request", title: "The request body is not valid JSON" }],
    });
    // Its other refusals keep their documented codes.
    expect(await emulator.api("GET", `${users}/by/external_id/nobody`, app.appKey)).toEqual({
      status: 404,
      body: { errors: [{ code: "user-2", title: "User not found" }] },
    });
  });
});

describe("what a send reports (Create message reference page)", () => {
  async function send(target: Record<string, unknown>) {
    return emulator.api<{ id: string; errors?: unknown }>("POST", "/notifications", app.appKey, {
      app_id: app.appId,
      contents: { en: "Hi" },
      ...target,
    });
  }

  it("invalid_player_ids lists the unsubscribed subscriptions named, never the ones that do not exist", async () => {
    const subscribed = await addDevice({});
    const unsubscribed = await addDevice({ notification_types: -2 });
    const unknown = "00000000-0000-4000-8000-000000000000";
    const sent = await send({ include_subscription_ids: [subscribed, unsubscribed, unknown] });
    expect(sent.status).toBe(200);
    expect(sent.body.id).not.toBe("");
    expect(sent.body.errors).toEqual({ invalid_player_ids: [unsubscribed] });
    const onlyUnknown = await send({ include_subscription_ids: [subscribed, unknown] });
    expect(onlyUnknown.body).not.toHaveProperty("errors");
  });

  it("invalid_aliases lists the aliases whose subscriptions are all unsubscribed, never unknown ones", async () => {
    await addDevice({ external_user_id: "alice" });
    await addDevice({ external_user_id: "lapsed", notification_types: -2 });
    const sent = await send({
      include_aliases: { external_id: ["alice", "lapsed", "nobody"] },
      target_channel: "push",
    });
    expect(sent.status).toBe(200);
    expect(sent.body.id).not.toBe("");
    expect(sent.body.errors).toEqual({ invalid_aliases: { external_id: ["lapsed"] } });
    const noneReached = await send({ include_aliases: { external_id: ["nobody"] }, target_channel: "push" });
    expect(noneReached.body).toEqual({
      id: "",
      external_id: null,
      errors: ["All included players are not subscribed"],
    });
  });
});

describe("the CSV files of a message (Notification history, Export audience activity CSV)", () => {
  it("history has the sample report's columns, a timestamp for clicked events only; the events export one row per recipient", async () => {
    const reader = await addDevice({ external_user_id: "reader" });
    const other = await addDevice({});
    const sent = await emulator.api<{ id: string }>("POST", "/notifications", app.appKey, {
      app_id: app.appId,
      include_subscription_ids: [reader, other],
      contents: { en: "Hi" },
    });
    await fetch(`${emulator.url}/_emulator/notifications/${sent.body.id}/clicks`, {
      method: "POST",
      body: JSON.stringify({ subscriptionIds: [reader] }),
    });
    const file = async (url: string, gzip: boolean) => {
      const answer = await fetch(url);
      const bytes = Buffer.from(await answer.arrayBuffer());
      return (gzip ? gunzipSync(bytes) : bytes).toString("utf8").trim().split("\n");
    };
    const history = async (events: string) => {
      const answer = await emulator.api<{ destination_url: string }>(
        "POST",
        `/notifications/${sent.body.id}/history`,
        app.appKey,
        { app_id: app.appId, events },
      );
      return file(answer.body.destination_url, false);
    };
    const sentRows = await history("sent");
    expect(sentRows[0]).toBe("player_id,onesignal_id,external_id,target_channel");
    const sentBy = (id: string) => sentRows.slice(1).filter((row) => row.startsWith(`"${id}",`));
    expect(sentRows).toHaveLength(3);
    expect(sentBy(reader)).toEqual([expect.stringMatching(/^"[0-9a-f-]{36}","[0-9a-f-]{36}","reader","push"$/)]);
    expect(sentBy(other)).toEqual([`"${other}","","","push"`]);
    const clickedRows = await history("clicked");
    expect(clickedRows[0]).toBe("player_id,onesignal_id,external_id,target_channel,timestamp");
    expect(clickedRows.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^"${reader}",".+","reader","push","\\d+"$`)),
    ]);

    const exported = await emulator.api<{ csv_file_url: string }>(
      "POST",
      `/notifications/${sent.body.id}/export_events?app_id=${app.appId}`,
      app.appKey,
    );
    expect(exported.body.csv_file_url).toMatch(
      new RegExp(`/events_audience-activity-${sent.body.id}-push-[0-9T-]+Z-[0-9a-f-]{36}\\.csv\\.gz$`),
    );
    const events = await file(exported.body.csv_file_url, true);
    expect(events[0]).toBe(
      "external_user_id,subscription_id,device_type,sent,delivered,clicked,onesignal_id,failed,unsubscribed,failure_message",
    );
    const byId = Object.fromEntries(events.slice(1).map((row) => [row.split(",")[1], row.split(",")]));
    expect(Object.keys(byId).sort()).toEqual([reader, other].sort());
    expect(byId[reader]?.[0]).toBe("reader");
    expect(byId[reader]?.[5]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(byId[other]?.[5]).toBe("");
  });
});
