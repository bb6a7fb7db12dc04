import { beforeEach, describe, expect, it } from "vitest";
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
import { useEmulatorApp } from "../support/use-emulator";

const { emulator, app } = useEmulatorApp({ emulator: { exportDelayMs: 100 }, resetEach: true });
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

/** The devices each test starts with, by the names `ids` keeps their ids under; created in this order. */
function devices(): Record<string, Parameters<typeof upsertDevice>[1]> {
  const hourAgo = Math.floor(Date.now() / 1000) - 3600;
  const monthAgo = Math.floor(Date.now() / 1000) - 30 * 24 * 3600;
  // Alice and Bob each have a push device and a second channel, all on the pro plan.
  const pro = { tags: { plan: "pro" } };
  const alice = { externalUserId: "alice" };
  const bob = { externalUserId: "bob" };
  return {
    proFr: { ...pro, ...alice, deviceType: "android", identifier: "pro-fr", language: "fr", lastActive: hourAgo },
    proEn: { ...pro, ...bob, deviceType: "ios", identifier: "proen1", language: "en", lastActive: monthAgo },
    freeEn: {
      deviceType: "chromeWeb",
      identifier: "https://push.example/free",
      language: "en",
      tags: { plan: "free" },
      lastActive: hourAgo,
    },
    unsubscribed: { ...pro, deviceType: "android", identifier: "gone", language: "fr", notificationTypes: -2 },
    aliceEmail: { ...pro, ...alice, deviceType: "email", identifier: "alice@example.com" },
    bobSms: { ...pro, ...bob, deviceType: "sms", identifier: "+15555550111" },
  };
}

beforeEach(async () => {
  for (const [name, device] of Object.entries(devices())) {
    ids[name] = (await upsertDevice(app.appId, device, app.opts)).id;
  }
  await emulator.api("POST", `/apps/${app.appId}/segments`, app.appKey, {
    name: "Pro",
    filters: [{ field: "tag", key: "plan", relation: "=", value: "pro" }],
  });
});

const hello = { contents: { en: "Hello", fr: "Bonjour" } };

describe("targeting reaches exactly the devices it should", () => {
  it("segments: included minus excluded, subscribed push devices only", async () => {
    const all = await sendNotification(
      { appId: app.appId, includedSegments: ["Subscribed Users"], ...hello },
      app.opts,
    );
    expect(await recipientsOf(all.id)).toEqual(expected("proFr", "proEn", "freeEn"));
    const pro = await sendNotification(
      { appId: app.appId, includedSegments: ["Pro"], excludedSegments: ["Inactive Users"], ...hello },
      app.opts,
    );
    expect(await recipientsOf(pro.id)).toEqual(expected("proFr"));
  });

  it("platform options (Huawei's among them) go out under OneSignal's names, which the emulator checks as OneSignal documents them", async () => {
    const sent = await sendNotification(
      {
        appId: app.appId,
        includedSegments: ["Pro"],
        ...hello,
        huaweiMsgType: "message",
        huaweiCategory: "ACCOUNT",
        huaweiBadgeAddNum: 1,
        huaweiBigPicture: "https://shop.example/sale.png",
        globalImage: "https://shop.example/all.png",
        androidGroup: "orders",
        webPushTopic: "order-42",
        apnsAlert: { "loc-key": "ORDER" },
        summaryArg: "orders",
        summaryArgCount: 2,
      },
      app.opts,
    );
    expect(await recipientsOf(sent.id)).toEqual(expected("proFr", "proEn"));
    const refused = await emulator.api("POST", "/notifications", app.appKey, {
      app_id: app.appId,
      included_segments: ["Pro"],
      contents: { en: "Hi" },
      huawei_badge_add_num: 0,
    });
    expect(refused.status).toBe(400);
  });

  it("segments on the email and SMS channels reach the email and SMS records", async () => {
    const email = await sendNotification(
      {
        appId: app.appId,
        includedSegments: ["Pro"],
        targetChannel: "email",
        emailSubject: "News",
        emailBody: "<p>Hi</p>",
      },
      app.opts,
    );
    expect(await recipientsOf(email.id)).toEqual(expected("aliceEmail"));
    const sms = await sendNotification(
      { appId: app.appId, includedSegments: ["Pro"], targetChannel: "sms", contents: { en: "Hi" } },
      app.opts,
    );
    expect(await recipientsOf(sms.id)).toEqual(expected("bobSms"));
  });

  it("filters, with AND binding tighter than OR", async () => {
    const sent = await sendNotification(
      {
        appId: app.appId,
        filters: [filter.tag("plan").is("pro"), filter.language.is("fr"), filter.or, filter.tag("plan").is("free")],
        ...hello,
      },
      app.opts,
    );
    expect(await recipientsOf(sent.id)).toEqual(expected("proFr", "freeEn"));
    const recent = await sendNotification(
      { appId: app.appId, filters: [filter.lastSession.lessThanHoursAgo(24)], ...hello },
      app.opts,
    );
    expect(await recipientsOf(recent.id)).toEqual(expected("proFr", "freeEn"));
  });

  it("aliases with a target channel; an unknown alias is not reported (only unsubscribed ones are)", async () => {
    const push = await sendNotification(
      { appId: app.appId, includeAliases: { external_id: ["alice", "nobody"] }, targetChannel: "push", ...hello },
      app.opts,
    );
    expect(await recipientsOf(push.id)).toEqual(expected("proFr"));
    expect(push.errors).toBeUndefined();
    const email = await sendNotification(
      {
        appId: app.appId,
        includeAliases: { external_id: ["alice"] },
        targetChannel: "email",
        emailSubject: "s",
        emailBody: "b",
      },
      app.opts,
    );
    expect(await recipientsOf(email.id)).toEqual(expected("aliceEmail"));
  });

  it("subscription and player ids, external user ids, email addresses and phone numbers", async () => {
    const bySubscription = await sendNotification(
      { appId: app.appId, includeSubscriptionIds: [ids.freeEn as string, ids.unsubscribed as string], ...hello },
      app.opts,
    );
    expect(await recipientsOf(bySubscription.id)).toEqual(expected("freeEn"));
    const byPlayer = await sendNotification(
      { appId: app.appId, includePlayerIds: [ids.proEn as string], ...hello },
      app.opts,
    );
    expect(await recipientsOf(byPlayer.id)).toEqual(expected("proEn"));
    const byExternal = await sendNotification(
      { appId: app.appId, includeExternalUserIds: ["bob"], ...hello },
      app.opts,
    );
    expect(await recipientsOf(byExternal.id)).toEqual(expected("proEn"));
    const byEmail = await sendNotification(
      { appId: app.appId, emailTo: ["alice@example.com"], emailSubject: "s", emailBody: "b" },
      app.opts,
    );
    expect(await recipientsOf(byEmail.id)).toEqual(expected("aliceEmail"));
    const byPhone = await sendNotification(
      { appId: app.appId, includePhoneNumbers: ["+15555550111"], contents: { en: "code 1234" } },
      app.opts,
    );
    expect(await recipientsOf(byPhone.id)).toEqual(expected("bobSms"));
  });

  it("answers OneSignal's 'not subscribed' when nobody matches, and makes no notification", async () => {
    const result = await sendNotification({ appId: app.appId, filters: [filter.country.is("JP")], ...hello }, app.opts);
    expect(result).toMatchObject({ id: "", errors: ["All included players are not subscribed"] });
    expect(await admin()).toEqual([]);
  });
});

describe("refusals", () => {
  it("the emulator answers like OneSignal: no target, no English, an email without a subject", async () => {
    const post = (body: Record<string, unknown>) =>
      emulator.api<{ errors: string[] }>("POST", "/notifications", app.appKey, { app_id: app.appId, ...body });
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
    const bad = { appId: app.appId, contents: { fr: "x" }, includedSegments: ["Pro"] } as unknown as NotificationInput;
    await expect(sendNotification(bad, app.opts)).rejects.toThrow(
      "a push notification needs English content: contents.en",
    );
    const mixed = {
      appId: app.appId,
      includedSegments: ["Pro"],
      filters: [],
      ...hello,
    } as unknown as NotificationInput;
    await expect(sendNotification(mixed, app.opts)).rejects.toThrow(
      "use one targeting method, not segments and filters",
    );
    // A misspelled property would send without a title: it is refused, with the nearest name.
    const misspelled = {
      appId: app.appId,
      includedSegments: ["Pro"],
      ...hello,
      heading: { en: "Hi" },
    } as unknown as NotificationInput;
    await expect(sendNotification(misspelled, app.opts)).rejects.toThrow(
      '"heading" is not a property of a notification; did you mean "headings"?',
    );
    expect((await emulator.requests()).length).toBe(before);
    const error = await sendNotification(
      { appId: app.appId, includedSegments: ["No such segment"], ...hello },
      app.opts,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OneSignalApiError);
    expect((error as Error).message).toBe(
      "OneSignal answered 400 to POST /notifications: Segment not found: No such segment",
    );
  });
});

describe("exactly once", () => {
  it("the same idempotency key twice makes one notification, replayed", async () => {
    const idempotencyKey = "0b9f8c4e-5d1a-4d2e-9c3b-7a6f5e4d3c2b";
    const first = await sendNotification(
      { appId: app.appId, idempotencyKey, includedSegments: ["Pro"], ...hello },
      app.opts,
    );
    const second = await sendNotification(
      { appId: app.appId, idempotencyKey, includedSegments: ["Pro"], ...hello },
      app.opts,
    );
    expect(second).toEqual(first);
    expect(first.externalId).toBe(idempotencyKey);
    expect(first.idempotencyKey).toBe(idempotencyKey);
    expect(await admin()).toHaveLength(1);
    const replay = await fetch(`${emulator.url}/notifications`, {
      method: "POST",
      headers: { authorization: `Key ${app.appKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        app_id: app.appId,
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
    const result = await sendNotification({ appId: app.appId, includedSegments: ["Pro"], ...hello }, app.opts);
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
    const error = await sendNotification({ appId: app.appId, includedSegments: ["Pro"], ...hello }, app.opts).catch(
      (e: unknown) => e,
    );
    await emulator.api("DELETE", "/_emulator/faults", "");
    expect(error).toBeInstanceOf(OneSignalOutcomeUnknownError);
    const key = (error as OneSignalOutcomeUnknownError).idempotencyKey;
    expect((error as Error).message).toContain(`Send it again with idempotencyKey "${key}"`);
    expect(await admin()).toHaveLength(1);
    const again = await sendNotification(
      { appId: app.appId, includedSegments: ["Pro"], ...hello, idempotencyKey: key },
      app.opts,
    );
    const notifications = await admin();
    expect(notifications).toHaveLength(1);
    expect(again.id).toBe(notifications[0]?.id);
  });
});

describe("schedule, view, cancel, list, history", () => {
  it("a scheduled send waits for the emulator's clock; cancel works until then, not after", async () => {
    const inAnHour = new Date(Date.now() + 3600_000);
    const scheduled = await sendNotification(
      { appId: app.appId, includedSegments: ["Pro"], sendAfter: inAnHour, ...hello },
      app.opts,
    );
    const waiting = await getNotification(app.appId, scheduled.id, app.opts);
    expect(waiting).toMatchObject({ successful: 0, remaining: 2, canceled: false });
    expect(waiting.sendAfter?.getTime()).toBe(Math.floor(inAnHour.getTime() / 1000) * 1000);
    expect(waiting.completedAt).toBeUndefined();

    const canceled = await sendNotification(
      { appId: app.appId, includedSegments: ["Pro"], sendAfter: inAnHour, ...hello },
      app.opts,
    );
    await cancelNotification(app.appId, canceled.id, app.opts);

    await fetch(`${emulator.url}/_emulator/clock`, {
      method: "POST",
      body: JSON.stringify({ advanceMs: 2 * 3600_000 }),
    });
    const delivered = await getNotification(app.appId, scheduled.id, app.opts);
    expect(delivered).toMatchObject({ successful: 2, remaining: 0, canceled: false });
    expect(delivered.completedAt).toBeInstanceOf(Date);
    expect(await recipientsOf(canceled.id)).toEqual([]);
    expect((await getNotification(app.appId, canceled.id, app.opts)).canceled).toBe(true);
    await expect(cancelNotification(app.appId, scheduled.id, app.opts)).rejects.toThrow(
      /Usually due to the message already being sent/,
    );
  });

  it("an immediate send's counters are final when it is read, camelCase with Dates", async () => {
    const sent = await sendNotification(
      { appId: app.appId, includedSegments: ["Pro"], headings: { en: "Hi", fr: "Salut" }, ...hello, data: { k: "v" } },
      app.opts,
    );
    const read = await getNotification(app.appId, sent.id, app.opts);
    expect(read).toMatchObject({
      id: sent.id,
      appId: app.appId,
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
    const androidOff = await sendNotification(
      { appId: app.appId, includedSegments: ["Pro"], ...hello, isAndroid: false },
      app.opts,
    );
    expect((await getNotification(app.appId, androidOff.id, app.opts)).platformDeliveryStats).toEqual({
      ios: expect.objectContaining({ successful: 1 }),
    });
    await expect(getNotification(app.appId, "6f1c7c9a-3b0e-4c55-9d7f-2a1b3c4d5e6f", app.opts)).rejects.toThrow(
      "OneSignal answered 404 to GET /notifications/6f1c7c9a-3b0e-4c55-9d7f-2a1b3c4d5e6f: Notification not found",
    );
  });

  it("listNotifications walks 120 notifications newest first, in pages of at most 50", async () => {
    const sent: string[] = [];
    for (let index = 0; index < 120; index++) {
      sent.push(
        (
          await sendNotification(
            { appId: app.appId, includePlayerIds: [ids.proFr as string], contents: { en: `n${index}` } },
            app.opts,
          )
        ).id,
      );
    }
    const before = (await emulator.requests()).length;
    const seen: string[] = [];
    for await (const notification of listNotifications(app.appId, {}, app.opts)) seen.push(notification.id);
    expect(seen).toEqual([...sent].reverse());
    const pages = (await emulator.requests()).slice(before);
    expect(pages).toHaveLength(3);
    const small: string[] = [];
    for await (const notification of listNotifications(app.appId, { pageSize: 7, kind: 1 }, app.opts)) {
      small.push(notification.id);
      if (small.length === 10) break;
    }
    expect(small).toEqual([...sent].reverse().slice(0, 10));
  });

  it("listNotifications since a time: oldest first by send time, paged by the time cursor until an empty page", async () => {
    const send = async (extra: Partial<NotificationInput>) =>
      (
        await sendNotification(
          {
            appId: app.appId,
            includePlayerIds: [ids.proFr as string],
            contents: { en: "x" },
            ...extra,
          } as NotificationInput,
          app.opts,
        )
      ).id;
    const now = [await send({}), await send({}), await send({})];
    const queuedAt = (await getNotification(app.appId, now[0] as string, app.opts)).queuedAt as Date;
    const inAnHour = await send({ sendAfter: new Date(queuedAt.getTime() + 3600_000) });
    const inTwoHours = await send({ sendAfter: new Date(queuedAt.getTime() + 7200_000) });
    const template = await emulator.api<{ id: string }>("POST", "/templates", app.appKey, {
      app_id: app.appId,
      name: "welcome",
      contents: { en: "Welcome" },
    });
    const fromTemplate = await send({ contents: undefined, templateId: template.body.id });

    const walk = async (query: Parameters<typeof listNotifications>[1]) => {
      const seen: string[] = [];
      const requests = await emulator.requestsDuring(async () => {
        for await (const notification of listNotifications(app.appId, query, app.opts)) seen.push(notification.id);
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
      `/notifications?app_id=${app.appId}&time_offset=2026-01-01T00:00:00Z&offset=0`,
      app.appKey,
    );
    expect(both.status).toBe(400);
    const bad = await emulator.api("GET", `/notifications?app_id=${app.appId}&time_offset=not-a-cursor`, app.appKey);
    expect(bad.status).toBe(400);
    expect(() => listNotifications(app.appId, { since: new Date("nope") }, app.opts)).toThrow(
      "query.since must be a valid Date",
    );
  });

  it("history: the URL, or with wait the rows of who it was sent to", async () => {
    const sent = await sendNotification({ appId: app.appId, includedSegments: ["Pro"], ...hello }, app.opts);
    const url = await getNotificationHistory(app.appId, sent.id, { events: "sent" }, app.opts);
    expect(url).toMatch(new RegExp(`^${emulator.url}/csv_exports/`));
    const rows = await getNotificationHistory(
      app.appId,
      sent.id,
      { events: "sent", wait: true, pollIntervalMs: 100 },
      app.opts,
    );
    expect(rows.map((row) => row.player_id).sort()).toEqual(expected("proFr", "proEn"));
    await expect(
      getNotificationHistory(app.appId, sent.id, { events: "sent", email: "not-an-email" }, app.opts),
    ).rejects.toThrow("param `email` must be a valid email");
  });

  it("clicked history: who clicked, once each, with the notification's converted count", async () => {
    const sent = await sendNotification({ appId: app.appId, includedSegments: ["Pro"], ...hello }, app.opts);
    const clicked = async (body: unknown) =>
      fetch(`${emulator.url}/_emulator/notifications/${sent.id}/clicks`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const before = await getNotificationHistory(
      app.appId,
      sent.id,
      { events: "clicked", wait: true, pollIntervalMs: 100 },
      app.opts,
    );
    expect(before).toEqual([]);
    // Alice clicks twice: one click.
    for (let i = 0; i < 2; i++) {
      const answer = await clicked({ subscriptionIds: [ids.proFr] });
      expect(await answer.json()).toEqual({ converted: 1 });
    }
    const rows = await getNotificationHistory(
      app.appId,
      sent.id,
      { events: "clicked", wait: true, pollIntervalMs: 100 },
      app.opts,
    );
    expect(rows).toEqual([
      expect.objectContaining({ player_id: ids.proFr, external_id: "alice", target_channel: "push" }),
    ]);
    expect((await getNotification(app.appId, sent.id, app.opts)).converted).toBe(1);
    // The emulator refuses clicks by someone it was not sent to, and on an unknown notification.
    const stranger = await clicked({ subscriptionIds: [ids.freeEn] });
    expect(stranger.status).toBe(400);
    expect(((await stranger.json()) as { errors: string[] }).errors[0]).toContain(String(ids.freeEn));
    const unknown = await fetch(`${emulator.url}/_emulator/notifications/nope/clicks`, { method: "POST" });
    expect(unknown.status).toBe(404);

    // Every event of it, sent and clicked, in one export.
    const url = await exportNotificationEvents(app.appId, sent.id, {}, app.opts);
    expect(url).toMatch(new RegExp(`^${emulator.url}/csv_exports/`));
    const events = await exportNotificationEvents(app.appId, sent.id, { wait: true, pollIntervalMs: 100 }, app.opts);
    // One row per recipient, with the time of its click when it clicked.
    expect(events.map((row) => `${row.subscription_id} ${row.clicked === "" ? "sent" : "clicked"}`).sort()).toEqual(
      [`${ids.proEn} sent`, `${ids.proFr} clicked`].sort(),
    );
    await expect(
      exportNotificationEvents(app.appId, "b3a0c8bd-3a4c-4b22-9a73-3f1a8c2d1b88", {}, app.opts),
    ).rejects.toThrow(/404/);
  });
});

describe("notificationHook", () => {
  it("sends the notification the callback computes from the hook's arguments", async () => {
    const results: string[] = [];
    // The hook itself registers with the Pulumi engine; its callback is what runs after a create or update.
    const callback = notificationHookCallback(
      (args) => ({
        appId: app.appId,
        includedSegments: ["Pro"],
        contents: { en: `${args.name} (${args.type}) changed` },
      }),
      { ...app.opts, onSent: (result) => results.push(result.id) },
    );
    await callback({
      urn: "urn:pulumi:dev::shop::pulumi-nodejs:dynamic/onesignal:Template::welcome",
      id: "t-1",
      name: "welcome",
      type: "pulumi-nodejs:dynamic/onesignal:Template",
      newOutputs: { name: "Welcome" },
    });
    expect(results).toHaveLength(1);
    const sent = await getNotification(app.appId, results[0] as string, app.opts);
    expect(sent.contents).toEqual({ en: "welcome (pulumi-nodejs:dynamic/onesignal:Template) changed" });
    expect(await recipientsOf(results[0] as string)).toEqual(expected("proFr", "proEn"));
  });
});

describe("users are targeted too", () => {
  it("a user's subscriptions receive alias sends", async () => {
    await upsertUser(
      app.appId,
      { identity: { external_id: "carol" }, subscriptions: [{ type: "AndroidPush", token: "carol-fcm" }] },
      app.opts,
    );
    const sent = await sendNotification(
      { appId: app.appId, includeAliases: { external_id: ["carol"] }, targetChannel: "push", ...hello },
      app.opts,
    );
    expect((await recipientsOf(sent.id)).length).toBe(1);
  });
});
