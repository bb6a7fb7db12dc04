import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  cancelNotification,
  exportNotificationEvents,
  filter,
  getNotification,
  getNotificationHistory,
  listNotifications,
  type NotificationInput,
  notificationHookCallback,
  OneSignalApiError,
  OneSignalOutcomeUnknownError,
  sendNotification,
  upsertDevice,
  upsertUser,
} from "../../provider/index";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { createAppWithKey } from "../support/fixtures";

let emulator: TestEmulator;
let appId: string;
let appKey: string;
let opts: { apiUrl: string; apiKey: string };
const ids: Record<string, string> = {};

interface AdminNotification {
  id: string;
  recipients: string[];
  canceled: boolean;
  completedAt: number | null;
}

async function admin(): Promise<AdminNotification[]> {
  return (await (await fetch(`${emulator.url}/_emulator/notifications`)).json()) as AdminNotification[];
}

async function recipientsOf(id: string): Promise<string[]> {
  return ((await admin()).find((notification) => notification.id === id)?.recipients ?? []).slice().sort();
}

function expected(...names: string[]): string[] {
  return names.map((name) => ids[name] as string).sort();
}

beforeAll(async () => {
  emulator = await startTestEmulator({ exportDelayMs: 100 });
});
afterAll(async () => emulator.close());
beforeEach(async () => {
  await emulator.reset();
  await fetch(`${emulator.url}/_emulator/faults`, { method: "DELETE" });
  ({ appId, appKey } = await createAppWithKey(emulator));
  opts = { apiUrl: emulator.url, apiKey: appKey };
  const hourAgo = Math.floor(Date.now() / 1000) - 3600;
  const monthAgo = Math.floor(Date.now() / 1000) - 30 * 24 * 3600;
  const add = async (name: string, device: Parameters<typeof upsertDevice>[1]) => {
    ids[name] = (await upsertDevice(appId, device, opts)).id;
  };
  await add("proFr", {
    deviceType: "android",
    identifier: "pro-fr",
    language: "fr",
    tags: { plan: "pro" },
    lastActive: hourAgo,
    externalUserId: "alice",
  });
  await add("proEn", {
    deviceType: "ios",
    identifier: "proen1",
    language: "en",
    tags: { plan: "pro" },
    lastActive: monthAgo,
    externalUserId: "bob",
  });
  await add("freeEn", {
    deviceType: "chromeWeb",
    identifier: "https://push.example/free",
    language: "en",
    tags: { plan: "free" },
    lastActive: hourAgo,
  });
  await add("unsubscribed", {
    deviceType: "android",
    identifier: "gone",
    language: "fr",
    tags: { plan: "pro" },
    notificationTypes: -2,
  });
  await add("aliceEmail", {
    deviceType: "email",
    identifier: "alice@example.com",
    externalUserId: "alice",
    tags: { plan: "pro" },
  });
  await add("bobSms", { deviceType: "sms", identifier: "+15555550111", externalUserId: "bob", tags: { plan: "pro" } });
  await emulator.api("POST", `/apps/${appId}/segments`, appKey, {
    name: "Pro",
    filters: [{ field: "tag", key: "plan", relation: "=", value: "pro" }],
  });
});

const hello = { contents: { en: "Hello", fr: "Bonjour" } };

describe("targeting reaches exactly the devices it should", () => {
  it("segments: included minus excluded, subscribed push devices only", async () => {
    const all = await sendNotification({ appId, includedSegments: ["Subscribed Users"], ...hello }, opts);
    expect(await recipientsOf(all.id)).toEqual(expected("proFr", "proEn", "freeEn"));
    const pro = await sendNotification(
      { appId, includedSegments: ["Pro"], excludedSegments: ["Inactive Users"], ...hello },
      opts,
    );
    expect(await recipientsOf(pro.id)).toEqual(expected("proFr"));
  });

  it("segments on the email and SMS channels reach the email and SMS records", async () => {
    const email = await sendNotification(
      { appId, includedSegments: ["Pro"], targetChannel: "email", emailSubject: "News", emailBody: "<p>Hi</p>" },
      opts,
    );
    expect(await recipientsOf(email.id)).toEqual(expected("aliceEmail"));
    const sms = await sendNotification(
      { appId, includedSegments: ["Pro"], targetChannel: "sms", contents: { en: "Hi" } },
      opts,
    );
    expect(await recipientsOf(sms.id)).toEqual(expected("bobSms"));
  });

  it("filters, with AND binding tighter than OR", async () => {
    const sent = await sendNotification(
      {
        appId,
        filters: [filter.tag("plan").is("pro"), filter.language.is("fr"), filter.or, filter.tag("plan").is("free")],
        ...hello,
      },
      opts,
    );
    expect(await recipientsOf(sent.id)).toEqual(expected("proFr", "freeEn"));
    const recent = await sendNotification(
      { appId, filters: [filter.lastSession.lessThanHoursAgo(24)], ...hello },
      opts,
    );
    expect(await recipientsOf(recent.id)).toEqual(expected("proFr", "freeEn"));
  });

  it("aliases with a target channel, and reports unknown aliases", async () => {
    const push = await sendNotification(
      { appId, includeAliases: { external_id: ["alice", "nobody"] }, targetChannel: "push", ...hello },
      opts,
    );
    expect(await recipientsOf(push.id)).toEqual(expected("proFr"));
    expect(push.errors).toEqual({ invalid_aliases: { external_id: ["nobody"] } });
    const email = await sendNotification(
      { appId, includeAliases: { external_id: ["alice"] }, targetChannel: "email", emailSubject: "s", emailBody: "b" },
      opts,
    );
    expect(await recipientsOf(email.id)).toEqual(expected("aliceEmail"));
  });

  it("subscription and player ids, external user ids, email addresses and phone numbers", async () => {
    const bySubscription = await sendNotification(
      { appId, includeSubscriptionIds: [ids.freeEn as string, ids.unsubscribed as string], ...hello },
      opts,
    );
    expect(await recipientsOf(bySubscription.id)).toEqual(expected("freeEn"));
    const byPlayer = await sendNotification({ appId, includePlayerIds: [ids.proEn as string], ...hello }, opts);
    expect(await recipientsOf(byPlayer.id)).toEqual(expected("proEn"));
    const byExternal = await sendNotification({ appId, includeExternalUserIds: ["bob"], ...hello }, opts);
    expect(await recipientsOf(byExternal.id)).toEqual(expected("proEn"));
    const byEmail = await sendNotification(
      { appId, emailTo: ["alice@example.com"], emailSubject: "s", emailBody: "b" },
      opts,
    );
    expect(await recipientsOf(byEmail.id)).toEqual(expected("aliceEmail"));
    const byPhone = await sendNotification(
      { appId, includePhoneNumbers: ["+15555550111"], contents: { en: "code 1234" } },
      opts,
    );
    expect(await recipientsOf(byPhone.id)).toEqual(expected("bobSms"));
  });

  it("answers OneSignal's 'not subscribed' when nobody matches, and makes no notification", async () => {
    const result = await sendNotification({ appId, filters: [filter.country.is("JP")], ...hello }, opts);
    expect(result).toMatchObject({ id: "", errors: ["All included players are not subscribed"] });
    expect(await admin()).toEqual([]);
  });
});

describe("refusals", () => {
  it("the emulator answers like OneSignal: no target, no English, an email without a subject", async () => {
    const post = (body: Record<string, unknown>) =>
      emulator.api<{ errors: string[] }>("POST", "/notifications", appKey, { app_id: appId, ...body });
    expect(await post({ contents: { en: "x" } })).toEqual({
      status: 400,
      body: { errors: ["You must include which players, segments, or tags you wish to send this notification to."] },
    });
    expect(await post({ included_segments: ["Pro"], contents: { fr: "x" } })).toEqual({
      status: 400,
      body: { errors: ["Message Notifications must have English language content"] },
    });
    expect((await post({ email_to: ["a@example.com"], email_body: "b" })).body.errors).toEqual([
      "Email notifications must have an email_subject",
    ]);
    expect((await post({ include_subscription_ids: ["nope"], contents: { en: "x" } })).body.errors).toEqual([
      "Incorrect subscription_id format in include_subscription_ids (not a valid UUID): nope",
    ]);
    expect(
      (await post({ included_segments: ["Pro"], email_subject: "s", sms_from: "+1555", contents: { en: "x" } })).body
        .errors?.[0],
    ).toMatch(/^Platforms You may only send to one delivery channel at a time/);
  });

  it("sendNotification refuses the same before any request, and surfaces OneSignal's text after", async () => {
    const before = (await emulator.requests()).length;
    const bad = { appId, contents: { fr: "x" }, includedSegments: ["Pro"] } as unknown as NotificationInput;
    await expect(sendNotification(bad, opts)).rejects.toThrow("a push notification needs English content: contents.en");
    const mixed = { appId, includedSegments: ["Pro"], filters: [], ...hello } as unknown as NotificationInput;
    await expect(sendNotification(mixed, opts)).rejects.toThrow("use one targeting method, not segments and filters");
    // A misspelled property would send without a title: it is refused, with the nearest name.
    const misspelled = {
      appId,
      includedSegments: ["Pro"],
      ...hello,
      heading: { en: "Hi" },
    } as unknown as NotificationInput;
    await expect(sendNotification(misspelled, opts)).rejects.toThrow(
      '"heading" is not a property of a notification; did you mean "headings"?',
    );
    expect((await emulator.requests()).length).toBe(before);
    const error = await sendNotification({ appId, includedSegments: ["No such segment"], ...hello }, opts).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OneSignalApiError);
    expect((error as Error).message).toBe(
      "OneSignal answered 400 to POST /notifications: Segment not found: No such segment",
    );
  });
});

describe("exactly once", () => {
  it("the same idempotency key twice makes one notification, replayed", async () => {
    const idempotencyKey = "0b9f8c4e-5d1a-4d2e-9c3b-7a6f5e4d3c2b";
    const first = await sendNotification({ appId, idempotencyKey, includedSegments: ["Pro"], ...hello }, opts);
    const second = await sendNotification({ appId, idempotencyKey, includedSegments: ["Pro"], ...hello }, opts);
    expect(second).toEqual(first);
    expect(first.externalId).toBe(idempotencyKey);
    expect(first.idempotencyKey).toBe(idempotencyKey);
    expect(await admin()).toHaveLength(1);
    const replay = await fetch(`${emulator.url}/notifications`, {
      method: "POST",
      headers: { authorization: `Key ${appKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        app_id: appId,
        idempotency_key: idempotencyKey,
        included_segments: ["Pro"],
        contents: { en: "x" },
      }),
    });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
  });

  it("503s, 429s and connections dropped before and after commit still make exactly one", async () => {
    await emulator.fault({ method: "POST", path: "/notifications", status: 503, times: 1 });
    await emulator.fault({ method: "POST", path: "/notifications", status: 429, retryAfter: 0, times: 1 });
    await emulator.fault({ method: "POST", path: "/notifications", reset: true, times: 1 });
    await emulator.fault({ method: "POST", path: "/notifications", afterCommit: true, times: 1 });
    const result = await sendNotification({ appId, includedSegments: ["Pro"], ...hello }, opts);
    const notifications = await admin();
    expect(notifications).toHaveLength(1);
    expect(result.id).toBe(notifications[0]?.id);
    expect(await recipientsOf(result.id)).toEqual(expected("proFr", "proEn"));
    const statuses = (await emulator.requests())
      .filter((entry) => entry.path === "/notifications")
      .map((entry) => entry.status);
    expect(statuses).toEqual([503, 429, 0, 0, 200]);
  });

  it("when every retry loses its answer, the error carries the idempotency key, and sending again with it makes one", async () => {
    // Each attempt is carried out (the first) or replayed (the rest), and no answer ever arrives.
    await emulator.fault({ method: "POST", path: "/notifications", afterCommit: true, times: 10 });
    const error = await sendNotification({ appId, includedSegments: ["Pro"], ...hello }, opts).catch((e: unknown) => e);
    await emulator.api("DELETE", "/_emulator/faults", "");
    expect(error).toBeInstanceOf(OneSignalOutcomeUnknownError);
    const key = (error as OneSignalOutcomeUnknownError).idempotencyKey;
    expect((error as Error).message).toContain(`Send it again with idempotencyKey "${key}"`);
    expect(await admin()).toHaveLength(1);
    const again = await sendNotification({ appId, includedSegments: ["Pro"], ...hello, idempotencyKey: key }, opts);
    const notifications = await admin();
    expect(notifications).toHaveLength(1);
    expect(again.id).toBe(notifications[0]?.id);
  });
});

describe("schedule, view, cancel, list, history", () => {
  it("a scheduled send waits for the emulator's clock; cancel works until then, not after", async () => {
    const inAnHour = new Date(Date.now() + 3600_000);
    const scheduled = await sendNotification({ appId, includedSegments: ["Pro"], sendAfter: inAnHour, ...hello }, opts);
    const waiting = await getNotification(appId, scheduled.id, opts);
    expect(waiting).toMatchObject({ successful: 0, remaining: 2, canceled: false });
    expect(waiting.sendAfter?.getTime()).toBe(Math.floor(inAnHour.getTime() / 1000) * 1000);
    expect(waiting.completedAt).toBeUndefined();

    const canceled = await sendNotification({ appId, includedSegments: ["Pro"], sendAfter: inAnHour, ...hello }, opts);
    await cancelNotification(appId, canceled.id, opts);

    await fetch(`${emulator.url}/_emulator/clock`, {
      method: "POST",
      body: JSON.stringify({ advanceMs: 2 * 3600_000 }),
    });
    const delivered = await getNotification(appId, scheduled.id, opts);
    expect(delivered).toMatchObject({ successful: 2, remaining: 0, canceled: false });
    expect(delivered.completedAt).toBeInstanceOf(Date);
    expect(await recipientsOf(canceled.id)).toEqual([]);
    expect((await getNotification(appId, canceled.id, opts)).canceled).toBe(true);
    await expect(cancelNotification(appId, scheduled.id, opts)).rejects.toThrow(
      /Usually due to the message already being sent/,
    );
  });

  it("an immediate send's counters are final when it is read, camelCase with Dates", async () => {
    const sent = await sendNotification(
      { appId, includedSegments: ["Pro"], headings: { en: "Hi", fr: "Salut" }, ...hello, data: { k: "v" } },
      opts,
    );
    const read = await getNotification(appId, sent.id, opts);
    expect(read).toMatchObject({
      id: sent.id,
      appId,
      successful: 2,
      failed: 0,
      remaining: 0,
      canceled: false,
      includedSegments: ["Pro"],
      contents: hello.contents,
      data: { k: "v" },
    });
    expect(read.queuedAt).toBeInstanceOf(Date);
    expect(read.platformDeliveryStats).toMatchObject({
      android: { successful: 1, received: 1 },
      ios: { successful: 1, received: 1 },
    });
    const androidOff = await sendNotification({ appId, includedSegments: ["Pro"], ...hello, isAndroid: false }, opts);
    expect((await getNotification(appId, androidOff.id, opts)).platformDeliveryStats).toEqual({
      ios: expect.objectContaining({ successful: 1 }),
    });
    await expect(getNotification(appId, "6f1c7c9a-3b0e-4c55-9d7f-2a1b3c4d5e6f", opts)).rejects.toThrow(
      "OneSignal answered 404 to GET /notifications/6f1c7c9a-3b0e-4c55-9d7f-2a1b3c4d5e6f: Notification not found",
    );
  });

  it("listNotifications walks 120 notifications newest first, in pages of at most 50", async () => {
    const sent: string[] = [];
    for (let index = 0; index < 120; index++) {
      sent.push(
        (
          await sendNotification(
            { appId, includePlayerIds: [ids.proFr as string], contents: { en: `n${index}` } },
            opts,
          )
        ).id,
      );
    }
    const before = (await emulator.requests()).length;
    const seen: string[] = [];
    for await (const notification of listNotifications(appId, {}, opts)) seen.push(notification.id);
    expect(seen).toEqual([...sent].reverse());
    const pages = (await emulator.requests()).slice(before);
    expect(pages).toHaveLength(3);
    const small: string[] = [];
    for await (const notification of listNotifications(appId, { pageSize: 7, kind: 1 }, opts)) {
      small.push(notification.id);
      if (small.length === 10) break;
    }
    expect(small).toEqual([...sent].reverse().slice(0, 10));
  });

  it("listNotifications since a time: oldest first by send time, paged by the time cursor until an empty page", async () => {
    const send = async (extra: Partial<NotificationInput>) =>
      (
        await sendNotification(
          { appId, includePlayerIds: [ids.proFr as string], contents: { en: "x" }, ...extra } as NotificationInput,
          opts,
        )
      ).id;
    const now = [await send({}), await send({}), await send({})];
    const queuedAt = (await getNotification(appId, now[0] as string, opts)).queuedAt as Date;
    const inAnHour = await send({ sendAfter: new Date(queuedAt.getTime() + 3600_000) });
    const inTwoHours = await send({ sendAfter: new Date(queuedAt.getTime() + 7200_000) });
    const template = await emulator.api<{ id: string }>("POST", "/templates", appKey, {
      app_id: appId,
      name: "welcome",
      contents: { en: "Welcome" },
    });
    const fromTemplate = await send({ contents: undefined, templateId: template.body.id });

    const walk = async (query: Parameters<typeof listNotifications>[1]) => {
      const seen: string[] = [];
      const requests = await emulator.requestsDuring(async () => {
        for await (const notification of listNotifications(appId, query, opts)) seen.push(notification.id);
      });
      return { seen, requests: requests.length };
    };
    const all = await walk({ since: new Date(queuedAt.getTime() - 1000), pageSize: 2 });
    // The four sent at once (in the cursor's order within their second), then the scheduled ones, latest last.
    expect(all.seen.slice(0, 4).sort()).toEqual([...now, fromTemplate].sort());
    expect(all.seen.slice(4)).toEqual([inAnHour, inTwoHours]);
    // Three full pages, then the empty one that ends the list.
    expect(all.requests).toBe(4);
    expect((await walk({ since: new Date(queuedAt.getTime() + 1800_000) })).seen).toEqual([inAnHour, inTwoHours]);
    // A template's notifications, either way of paging.
    expect((await walk({ templateId: template.body.id })).seen).toEqual([fromTemplate]);
    expect((await walk({ templateId: template.body.id, since: queuedAt })).seen).toEqual([fromTemplate]);

    // The emulator refuses what OneSignal refuses: both ways at once, a cursor it did not give.
    const both = await emulator.api(
      "GET",
      `/notifications?app_id=${appId}&time_offset=2026-01-01T00:00:00Z&offset=0`,
      appKey,
    );
    expect(both.status).toBe(400);
    const bad = await emulator.api("GET", `/notifications?app_id=${appId}&time_offset=not-a-cursor`, appKey);
    expect(bad.status).toBe(400);
    expect(() => listNotifications(appId, { since: new Date("nope") }, opts)).toThrow(
      "query.since must be a valid Date",
    );
  });

  it("history: the URL, or with wait the rows of who it was sent to", async () => {
    const sent = await sendNotification({ appId, includedSegments: ["Pro"], ...hello }, opts);
    const url = await getNotificationHistory(appId, sent.id, { events: "sent" }, opts);
    expect(url).toMatch(new RegExp(`^${emulator.url}/csv_exports/`));
    const rows = await getNotificationHistory(
      appId,
      sent.id,
      { events: "sent", wait: true, pollIntervalMs: 100 },
      opts,
    );
    expect(rows.map((row) => row.subscription_id).sort()).toEqual(expected("proFr", "proEn"));
    await expect(
      getNotificationHistory(appId, sent.id, { events: "sent", email: "not-an-email" }, opts),
    ).rejects.toThrow("param `email` must be a valid email");
  });

  it("clicked history: who clicked, once each, with the notification's converted count", async () => {
    const sent = await sendNotification({ appId, includedSegments: ["Pro"], ...hello }, opts);
    const clicked = async (body: unknown) =>
      fetch(`${emulator.url}/_emulator/notifications/${sent.id}/clicks`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const before = await getNotificationHistory(
      appId,
      sent.id,
      { events: "clicked", wait: true, pollIntervalMs: 100 },
      opts,
    );
    expect(before).toEqual([]);
    // Alice clicks twice: one click.
    for (let i = 0; i < 2; i++) {
      const answer = await clicked({ subscriptionIds: [ids.proFr] });
      expect(await answer.json()).toEqual({ converted: 1 });
    }
    const rows = await getNotificationHistory(
      appId,
      sent.id,
      { events: "clicked", wait: true, pollIntervalMs: 100 },
      opts,
    );
    expect(rows).toEqual([
      expect.objectContaining({ subscription_id: ids.proFr, external_id: "alice", event: "clicked" }),
    ]);
    expect((await getNotification(appId, sent.id, opts)).converted).toBe(1);
    // The emulator refuses clicks by someone it was not sent to, and on an unknown notification.
    const stranger = await clicked({ subscriptionIds: [ids.freeEn] });
    expect(stranger.status).toBe(400);
    expect(((await stranger.json()) as { errors: string[] }).errors[0]).toContain(String(ids.freeEn));
    const unknown = await fetch(`${emulator.url}/_emulator/notifications/nope/clicks`, { method: "POST" });
    expect(unknown.status).toBe(404);

    // Every event of it, sent and clicked, in one export.
    const url = await exportNotificationEvents(appId, sent.id, {}, opts);
    expect(url).toMatch(new RegExp(`^${emulator.url}/csv_exports/`));
    const events = await exportNotificationEvents(appId, sent.id, { wait: true, pollIntervalMs: 100 }, opts);
    expect(events.map((row) => `${row.event} ${row.subscription_id}`).sort()).toEqual(
      [`clicked ${ids.proFr}`, `sent ${ids.proEn}`, `sent ${ids.proFr}`].sort(),
    );
    await expect(exportNotificationEvents(appId, "b3a0c8bd-3a4c-4b22-9a73-3f1a8c2d1b88", {}, opts)).rejects.toThrow(
      /404/,
    );
  });
});

describe("notificationHook", () => {
  it("sends the notification the callback computes from the hook's arguments", async () => {
    const results: string[] = [];
    // The hook itself registers with the Pulumi engine; its callback is what runs after a create or update.
    const callback = notificationHookCallback(
      (args) => ({ appId, includedSegments: ["Pro"], contents: { en: `${args.name} (${args.type}) changed` } }),
      { ...opts, onSent: (result) => results.push(result.id) },
    );
    await callback({
      urn: "urn:pulumi:dev::shop::pulumi-nodejs:dynamic/onesignal:Template::welcome",
      id: "t-1",
      name: "welcome",
      type: "pulumi-nodejs:dynamic/onesignal:Template",
      newOutputs: { name: "Welcome" },
    });
    expect(results).toHaveLength(1);
    const sent = await getNotification(appId, results[0] as string, opts);
    expect(sent.contents).toEqual({ en: "welcome (pulumi-nodejs:dynamic/onesignal:Template) changed" });
    expect(await recipientsOf(results[0] as string)).toEqual(expected("proFr", "proEn"));
  });
});

describe("users are targeted too", () => {
  it("a user's subscriptions receive alias sends", async () => {
    await upsertUser(
      appId,
      { identity: { external_id: "carol" }, subscriptions: [{ type: "AndroidPush", token: "carol-fcm" }] },
      opts,
    );
    const sent = await sendNotification(
      { appId, includeAliases: { external_id: ["carol"] }, targetChannel: "push", ...hello },
      opts,
    );
    expect((await recipientsOf(sent.id)).length).toBe(1);
  });
});
