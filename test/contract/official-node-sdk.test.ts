/**
 * The official Node SDK, `@onesignal/node-onesignal` 5.18.0, pointed at the emulator: every method of its `DefaultApi`
 * is called, and what the SDK parsed is checked (the typed object's ids, names, counts), not only that it resolved.
 * A client nobody here wrote: where it and the emulator disagree, one of them is not what OneSignal documents.
 *
 * | Method                          | Route                                                          | Emulator   |
 * | ------------------------------- | -------------------------------------------------------------- | ---------- |
 * | createApp, getApp, getApps      | POST /apps, GET /apps/{app_id}, GET /apps                      | served     |
 * | updateApp                       | PUT /apps/{app_id}                                             | served     |
 * | createApiKey, viewApiKeys       | POST, GET /apps/{app_id}/auth/tokens                           | served     |
 * | updateApiKey, deleteApiKey      | PATCH, DELETE /apps/{app_id}/auth/tokens/{token_id}            | served     |
 * | rotateApiKey                    | POST /apps/{app_id}/auth/tokens/{token_id}/rotate              | served     |
 * | createSegment, getSegments      | POST, GET /apps/{app_id}/segments                              | served     |
 * | getSegment, updateSegment       | GET, PATCH /apps/{app_id}/segments/{segment_id}                | served     |
 * | deleteSegment                   | DELETE /apps/{app_id}/segments/{segment_id}                    | served     |
 * | createTemplate, viewTemplates   | POST, GET /templates                                           | served     |
 * | viewTemplate, updateTemplate    | GET, PATCH /templates/{template_id}                            | served     |
 * | deleteTemplate                  | DELETE /templates/{template_id}                                | served     |
 * | copyTemplateToApp               | POST /templates/{template_id}/copy_to_app                      | served     |
 * | createUser, getUser             | POST /apps/{app_id}/users, GET .../users/by/{label}/{id}       | served     |
 * | updateUser, deleteUser          | PATCH, DELETE /apps/{app_id}/users/by/{label}/{id}             | served     |
 * | createAlias, getAliases         | PATCH, GET .../users/by/{label}/{id}/identity                  | served     |
 * | deleteAlias                     | DELETE .../users/by/{label}/{id}/identity/{label_to_delete}    | served     |
 * | createAliasBySubscription       | PATCH /apps/{app_id}/subscriptions/{id}/user/identity          | served     |
 * | getAliasesBySubscription        | GET /apps/{app_id}/subscriptions/{id}/user/identity            | served     |
 * | transferSubscription            | PATCH /apps/{app_id}/subscriptions/{id}/owner                  | served     |
 * | createSubscription              | POST .../users/by/{label}/{id}/subscriptions                   | served     |
 * | updateSubscription              | PATCH /apps/{app_id}/subscriptions/{subscription_id}           | served     |
 * | deleteSubscription              | DELETE /apps/{app_id}/subscriptions/{subscription_id}          | served     |
 * | createNotification              | POST /notifications                                            | served     |
 * | createNotificationWithRetry     | POST /notifications (the SDK's own retrying wrapper)           | served     |
 * | getNotification, getNotifications | GET /notifications/{id}, GET /notifications                  | served     |
 * | cancelNotification              | DELETE /notifications/{notification_id}                        | served     |
 * | estimateNotificationRecipients  | POST /notifications/count-unsaved                              | served     |
 * | getNotificationHistory          | POST /notifications/{notification_id}/history                  | served     |
 * | exportEvents                    | POST /notifications/{notification_id}/export_events            | served     |
 * | exportSubscriptions             | POST /players/csv_export                                       | served     |
 * | updateSubscriptionByToken       | PATCH /apps/{app_id}/subscriptions_by_token/{type}/{token}     | refused    |
 * | unsubscribeEmailWithToken       | POST /apps/{app_id}/notifications/{id}/unsubscribe             | refused    |
 * | getOutcomes                     | GET /apps/{app_id}/outcomes                                    | refused    |
 * | startLiveActivity               | POST /apps/{app_id}/activities/activity/{activity_type}        | refused    |
 * | updateLiveActivity              | POST /apps/{app_id}/live_activities/{activity_id}/notifications | refused   |
 * | createCustomEvents              | POST /apps/{app_id}/custom_events                              | refused    |
 * | createJourney, viewJourneys     | POST, GET /apps/{app_id}/journeys                              | refused    |
 * | viewJourney, updateJourney      | GET, PATCH /apps/{app_id}/journeys/{journey_id}                | refused    |
 * | deleteJourney                   | DELETE /apps/{app_id}/journeys/{journey_id}                    | refused    |
 * | viewJourneyStats                | GET /apps/{app_id}/journeys/{journey_id}/stats                 | refused    |
 * | updateJourneyNode               | PATCH /apps/{app_id}/journeys/{journey_id}/nodes/{node_id}     | refused    |
 * | listAuditLogs                   | GET /organizations/{organization_id}/audit_logs                | refused    |
 * | getEmailReputation              | GET /apps/{app_id}/email_analytics/delivery_metrics            | refused    |
 *
 * The SDK's 5.x line has no call for the legacy `/players` routes (a device is a user's subscription), so none is
 * made here. The last test checks that every method of `DefaultApi` was called.
 *
 * "Refused": the emulator does not model the route and answers the 400 docs/emulator.md documents, naming the route
 * as not emulated (never a 405 or a 404 "No route" a client would read as something else).
 */
import { gunzipSync } from "node:zlib";
import * as OneSignal from "@onesignal/node-onesignal";
import { describe, expect, it } from "vitest";
import { addAndroidDevice, createAppWithKey } from "../support/fixtures";
import { useEmulatorApp } from "../support/use-emulator";

/** What a refused call threw, as the SDK's users read it: the status and the error messages. */
interface Refusal {
  code: number;
  messages: string[];
}

/** The refusal `call` ends in; fails the test when it resolves or throws anything but the SDK's `ApiException`. */
async function refusalOf(call: Promise<unknown>): Promise<Refusal> {
  try {
    await call;
  } catch (error) {
    if (error instanceof OneSignal.ApiException) return { code: error.code, messages: error.errorMessages };
    throw error;
  }
  throw new Error("the call resolved; a refusal was expected");
}

/** The refusal the emulator gives every route it does not model, as the SDK parses it. */
function notEmulated(route: string): Refusal {
  return {
    code: 400,
    messages: [
      expect.stringMatching(new RegExp(`^${literally(route)} \\(.+\\) is documented by OneSignal but not emulated`)),
    ],
  };
}

/** The lines of the file at `url` (a gzipped one unpacked), which must be served with a 200. */
async function fileLines(url: string): Promise<string[]> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  return (url.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8").trim().split("\n");
}

/** `text` as a regular expression that matches it literally. */
function literally(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("the official Node SDK (@onesignal/node-onesignal 5.18.0) against the emulator", () => {
  // Exports ready at once, so that the files the SDK's answers point to can be read.
  const { emulator, app } = useEmulatorApp({ emulator: { exportDelayMs: 0 } });
  /** The SDK as its users configure it: the emulator's URL as its server, the organization key and an app key. */
  const sdk = (appKey: string = app.appKey) =>
    recordingCalls(
      new OneSignal.DefaultApi(
        OneSignal.createConfiguration({
          baseServer: new OneSignal.ServerConfiguration(emulator.url, {}),
          organizationApiKey: emulator.organizationApiKey,
          restApiKey: appKey,
        }),
      ),
    );
  /** The names of the SDK's methods the tests called, so that the last test can tell which were left out. */
  const called = new Set<string>();
  function recordingCalls(api: OneSignal.DefaultApi): OneSignal.DefaultApi {
    return new Proxy(api, {
      get(target, key, receiver) {
        const member: unknown = Reflect.get(target, key, receiver);
        if (typeof member !== "function" || typeof key !== "string") return member;
        return (...args: unknown[]) => {
          called.add(key);
          return member.apply(target, args);
        };
      },
    });
  }

  it("runs the apps' calls: create, get, list, update", async () => {
    const api = sdk();
    const created = await api.createApp({ name: "sdk-app", chrome_web_origin: "https://example.com" });
    expect(created).toBeInstanceOf(OneSignal.App);
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.name).toBe("sdk-app");
    expect(created.chrome_web_origin).toBe("https://example.com");
    expect(created.players).toBe(0);

    const fetched = await api.getApp(created.id as string);
    expect([fetched.id, fetched.name, fetched.messageable_players]).toEqual([created.id, "sdk-app", 0]);

    const listed = await api.getApps();
    expect(listed.map((each) => each.name)).toEqual(expect.arrayContaining(["sdk-app"]));
    expect(listed.every((each) => each instanceof OneSignal.App)).toBe(true);

    const updated = await api.updateApp(created.id as string, { name: "sdk-app-renamed" });
    expect([updated.id, updated.name]).toEqual([created.id, "sdk-app-renamed"]);
    expect((await api.getApp(created.id as string)).name).toBe("sdk-app-renamed");
  });

  it("runs the API keys' calls: create, view, update, rotate, delete", async () => {
    const api = sdk();
    const created = await api.createApiKey(app.appId, {
      name: "sdk-key",
      ip_allowlist_mode: "explicit",
      ip_allowlist: ["203.0.113.0/24"],
    });
    expect(created.token_id).toMatch(/\S/);
    expect(created.formatted_token).toMatch(/\S/);

    const viewed = await api.viewApiKeys(app.appId);
    const mine = viewed.tokens?.find((token) => token.token_id === created.token_id);
    expect(mine?.name).toBe("sdk-key");
    expect(mine?.ip_allowlist_mode).toBe("explicit");
    expect(mine?.ip_allowlist).toEqual(["203.0.113.0/24"]);
    expect(viewed.tokens?.map((token) => token.token_id)).toContain(app.tokenId);

    await api.updateApiKey(app.appId, created.token_id as string, {
      name: "sdk-key-renamed",
      ip_allowlist_mode: "disabled",
    });
    const renamed = (await api.viewApiKeys(app.appId)).tokens?.find((token) => token.token_id === created.token_id);
    expect([renamed?.name, renamed?.ip_allowlist_mode]).toEqual(["sdk-key-renamed", "disabled"]);

    const rotated = await api.rotateApiKey(app.appId, created.token_id as string);
    expect(rotated.token_id).toBe(created.token_id);
    expect(rotated.formatted_token).toMatch(/\S/);
    expect(rotated.formatted_token).not.toBe(created.formatted_token);

    await api.deleteApiKey(app.appId, created.token_id as string);
    const left = (await api.viewApiKeys(app.appId)).tokens?.map((token) => token.token_id);
    expect(left).not.toContain(created.token_id);
    expect((await refusalOf(api.deleteApiKey(app.appId, created.token_id as string))).code).toBe(404);
  });

  it("runs the segments' calls: create, list, get (with and without detail), update, delete", async () => {
    const api = sdk();
    const created = await api.createSegment(app.appId, {
      name: "sdk-segment",
      filters: [{ field: "tag", key: "level", relation: ">", value: "10" }],
    });
    expect(created.success).toBe(true);
    expect(created.id).toMatch(/\S/);
    const id = created.id as string;

    const listed = await api.getSegments(app.appId, 0, 10);
    expect(listed).toBeInstanceOf(OneSignal.GetSegmentsSuccessResponse);
    expect([listed.offset, listed.limit]).toEqual([0, 10]);
    const mine = listed.segments?.find((segment) => segment.id === id);
    expect([mine?.name, mine?.app_id, mine?.read_only]).toEqual(["sdk-segment", app.appId, false]);
    expect(listed.total_count).toBe(listed.segments?.length);

    const plain = await api.getSegment(app.appId, id);
    expect(plain.subscriber_count).toBe(0);
    const detailed = await api.getSegment(app.appId, id, true);
    expect(detailed.subscriber_count).toBe(0);
    expect(detailed.payload?.id).toBe(id);
    expect(detailed.payload?.name).toBe("sdk-segment");
    expect(detailed.payload?.filters).toEqual([
      expect.objectContaining({ field: "tag", key: "level", relation: ">", value: "10" }),
    ]);

    const updated = await api.updateSegment(app.appId, id, {
      name: "sdk-segment-renamed",
      filters: [{ field: "language", relation: "=", value: "fr" }],
    });
    expect([updated.success, updated.id]).toEqual([true, id]);
    const renamed = await api.getSegment(app.appId, id, true);
    expect(renamed.payload?.name).toBe("sdk-segment-renamed");
    expect(renamed.payload?.filters).toEqual([
      expect.objectContaining({ field: "language", relation: "=", value: "fr" }),
    ]);

    expect((await api.deleteSegment(app.appId, id)).success).toBe(true);
    expect((await refusalOf(api.getSegment(app.appId, id))).code).toBe(404);
  });

  it("runs the templates' calls: create, view, list, update, copy to another app, delete", async () => {
    const api = sdk();
    const created = await api.createTemplate({
      app_id: app.appId,
      name: "sdk-template",
      contents: { en: "Hello" },
      headings: { en: "Hi" },
    });
    expect(created).toBeInstanceOf(OneSignal.TemplateResource);
    expect([created.name, created.channel]).toEqual(["sdk-template", "push"]);
    const id = created.id as string;
    expect(id).toMatch(/\S/);

    const viewed = await api.viewTemplate(id, app.appId);
    expect([viewed.id, viewed.name, viewed.channel]).toEqual([id, "sdk-template", "push"]);
    expect(viewed.content).toEqual(expect.objectContaining({ contents: { en: "Hello" }, headings: { en: "Hi" } }));

    const listed = await api.viewTemplates(app.appId, 10, 0, "push");
    expect(listed.templates?.map((template) => [template.id, template.name])).toEqual([[id, "sdk-template"]]);

    const updated = await api.updateTemplate(id, app.appId, { name: "sdk-template-renamed", contents: { en: "Bye" } });
    expect([updated.id, updated.name]).toEqual([id, "sdk-template-renamed"]);
    expect(updated.content).toEqual(expect.objectContaining({ contents: { en: "Bye" } }));

    const other = await createAppWithKey(emulator, "sdk-copy-target");
    const copied = await api.copyTemplateToApp(id, app.appId, { target_app_id: other.appId });
    expect(copied.id).not.toBe(id);
    expect(copied.name).toBe("sdk-template-renamed");
    expect(copied.content).toEqual(expect.objectContaining({ contents: { en: "Bye" } }));
    // The copy is the other app's: its own key lists it, under the copy's id.
    const theirs = await sdk(other.appKey).viewTemplates(other.appId);
    expect(theirs.templates?.map((template) => [template.id, template.name])).toEqual([
      [copied.id, "sdk-template-renamed"],
    ]);

    expect((await api.deleteTemplate(id, app.appId)).success).toBe(true);
    expect((await refusalOf(api.viewTemplate(id, app.appId))).code).toBe(404);
  });

  it("runs the users' calls: create, get, update, and delete", async () => {
    const api = sdk();
    const created = await api.createUser(app.appId, {
      identity: { external_id: "sdk-user" },
      properties: { language: "fr", tags: { level: "3" } },
      subscriptions: [{ type: "AndroidPush", token: "sdk-user-token", enabled: true }],
    });
    expect(created).toBeInstanceOf(OneSignal.User);
    expect(created.identity?.external_id).toBe("sdk-user");
    const onesignalId = created.identity?.onesignal_id;
    expect(onesignalId).toMatch(/\S/);
    expect(created.properties?.language).toBe("fr");
    expect(created.properties?.tags).toEqual({ level: "3" });
    expect(created.subscriptions?.map((each) => [each.type, each.token])).toEqual([["AndroidPush", "sdk-user-token"]]);
    expect(created.subscriptions?.[0]?.id).toMatch(/\S/);

    const fetched = await api.getUser(app.appId, "onesignal_id", onesignalId as string);
    expect(fetched.identity).toEqual({ external_id: "sdk-user", onesignal_id: onesignalId });
    expect(fetched.properties?.tags).toEqual({ level: "3" });

    const updated = await api.updateUser(app.appId, "external_id", "sdk-user", {
      properties: { language: "de", tags: { level: "4" } },
    });
    expect(updated).toBeInstanceOf(OneSignal.PropertiesBody);
    expect(updated.properties?.language).toBe("de");
    expect(updated.properties?.tags).toEqual({ level: "4" });
    const reread = await api.getUser(app.appId, "external_id", "sdk-user");
    expect([reread.properties?.language, reread.properties?.tags]).toEqual(["de", { level: "4" }]);

    await expect(api.deleteUser(app.appId, "external_id", "sdk-user")).resolves.toBeUndefined();
    expect((await refusalOf(api.getUser(app.appId, "external_id", "sdk-user"))).code).toBe(404);
  });

  it("runs the aliases' and subscriptions' calls: by user and by subscription, and a subscription's move", async () => {
    const api = sdk();
    const first = await api.createUser(app.appId, {
      identity: { external_id: "sdk-alias-1" },
      subscriptions: [{ type: "Email", token: "one@example.com" }],
    });
    const firstId = first.identity?.onesignal_id as string;
    const emailId = first.subscriptions?.[0]?.id as string;
    expect(emailId).toMatch(/\S/);

    const aliased = await api.createAlias(app.appId, "external_id", "sdk-alias-1", { identity: { crm: "c-1" } });
    expect(aliased.identity).toEqual({ external_id: "sdk-alias-1", crm: "c-1", onesignal_id: firstId });
    const aliases = await api.getAliases(app.appId, "crm", "c-1");
    expect(aliases.identity).toEqual({ external_id: "sdk-alias-1", crm: "c-1", onesignal_id: firstId });

    const bySubscription = await api.createAliasBySubscription(app.appId, emailId, { identity: { shop: "s-1" } });
    expect(bySubscription.identity).toEqual(expect.objectContaining({ shop: "s-1", onesignal_id: firstId }));
    const ownerIdentity = await api.getAliasesBySubscription(app.appId, emailId);
    expect(ownerIdentity.identity).toEqual({
      external_id: "sdk-alias-1",
      crm: "c-1",
      shop: "s-1",
      onesignal_id: firstId,
    });

    const deleted = await api.deleteAlias(app.appId, "external_id", "sdk-alias-1", "crm");
    expect(deleted.identity).toEqual({ external_id: "sdk-alias-1", shop: "s-1", onesignal_id: firstId });

    const added = await api.createSubscription(app.appId, "external_id", "sdk-alias-1", {
      subscription: { type: "SMS", token: "+15555550100" },
    });
    expect(added).toBeInstanceOf(OneSignal.SubscriptionBody);
    expect([added.subscription?.type, added.subscription?.token]).toEqual(["SMS", "+15555550100"]);
    const smsId = added.subscription?.id as string;
    expect(smsId).toMatch(/\S/);

    await expect(
      api.updateSubscription(app.appId, smsId, { subscription: { enabled: false } }),
    ).resolves.toBeUndefined();
    const afterUpdate = await api.getUser(app.appId, "onesignal_id", firstId);
    const sms = afterUpdate.subscriptions?.find((each) => each.id === smsId);
    expect(sms?.enabled).toBe(false);

    const second = await api.createUser(app.appId, { identity: { external_id: "sdk-alias-2" } });
    const secondId = second.identity?.onesignal_id as string;
    const moved = await api.transferSubscription(app.appId, emailId, { identity: { external_id: "sdk-alias-2" } });
    expect(moved.identity).toEqual(expect.objectContaining({ external_id: "sdk-alias-2", onesignal_id: secondId }));
    expect((await api.getAliasesBySubscription(app.appId, emailId)).identity?.onesignal_id).toBe(secondId);
    const secondNow = await api.getUser(app.appId, "onesignal_id", secondId);
    expect(secondNow.subscriptions?.map((each) => each.id)).toEqual([emailId]);

    await expect(api.deleteSubscription(app.appId, smsId)).resolves.toBeUndefined();
    const firstNow = await api.getUser(app.appId, "onesignal_id", firstId);
    expect(firstNow.subscriptions?.map((each) => each.id)).toEqual([]);
  });

  it("runs the messages' calls: create (and the SDK's retrying create), get, list, estimate, cancel, history, exports", async () => {
    const api = sdk();
    const device = await addAndroidDevice(emulator, app, { language: "en" });
    // Counted by no estimate below: its language is not the filter's.
    await addAndroidDevice(emulator, app, { language: "fr" });
    const sent = await api.createNotification({
      app_id: app.appId,
      contents: { en: "Hello from the SDK" },
      include_subscription_ids: [device],
    });
    expect(sent).toBeInstanceOf(OneSignal.CreateNotificationSuccessResponse);
    expect(sent.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.errors).toBeUndefined();
    const id = sent.id as string;

    const fetched = await api.getNotification(app.appId, id);
    expect(fetched).toBeInstanceOf(OneSignal.NotificationWithMeta);
    expect(fetched.id).toBe(id);
    expect(fetched.contents).toEqual(expect.objectContaining({ en: "Hello from the SDK" }));
    expect([fetched.successful, fetched.failed, fetched.remaining, fetched.canceled]).toEqual([1, 0, 0, false]);
    expect(fetched.platform_delivery_stats?.android?.successful).toBe(1);

    const key = "5b0c6f1e-4a8e-4d0e-9a55-2d1f0c8e7a11";
    const retried = await api.createNotificationWithRetry({
      app_id: app.appId,
      contents: { en: "Once only" },
      include_subscription_ids: [device],
      idempotency_key: key,
    });
    expect(retried.wasReplayed).toBe(false);
    const replayed = await api.createNotificationWithRetry({
      app_id: app.appId,
      contents: { en: "Once only" },
      include_subscription_ids: [device],
      idempotency_key: key,
    });
    expect(replayed.wasReplayed).toBe(true);
    expect(replayed.response.id).toBe(retried.response.id);

    const estimate = await api.estimateNotificationRecipients({
      app_id: app.appId,
      // The Estimated recipients page makes the segments required, though the SDK's model leaves them optional.
      included_segments: ["All"],
      filters: [{ field: "language", relation: "=", value: "en" }],
    });
    expect(estimate).toBeInstanceOf(OneSignal.EstimateNotificationRecipientsSuccessResponse);
    expect(estimate.count).toBe(1);

    const scheduled = await api.createNotification({
      app_id: app.appId,
      contents: { en: "Later" },
      include_subscription_ids: [device],
      send_after: "2099-01-01T00:00:00Z",
    });
    const scheduledId = scheduled.id as string;
    const pending = await api.getNotification(app.appId, scheduledId);
    expect([pending.remaining, pending.successful, pending.send_after]).toEqual([1, 0, Date.UTC(2099, 0, 1) / 1000]);
    expect((await api.cancelNotification(app.appId, scheduledId)).success).toBe(true);
    expect((await api.getNotification(app.appId, scheduledId)).canceled).toBe(true);
    expect((await refusalOf(api.cancelNotification(app.appId, scheduledId))).code).toBe(400);

    const listed = await api.getNotifications(app.appId, 10, 0, 1);
    expect(listed).toBeInstanceOf(OneSignal.NotificationSlice);
    expect([listed.total_count, listed.offset, listed.limit]).toEqual([3, 0, 10]);
    expect(listed.notifications?.map((each) => each.id).sort()).toEqual([id, retried.response.id, scheduledId].sort());

    const history = await api.getNotificationHistory(id, { events: "sent", app_id: app.appId });
    expect(history.success).toBe(true);
    expect(history.destination_url).toMatch(new RegExp(`^${literally(emulator.url)}/`));
    const [historyHeader, ...historyRows] = await fileLines(history.destination_url as string);
    expect(historyHeader?.split(",")[0]).toBe("player_id");
    expect(historyRows.map((row) => row.split(",")[0])).toEqual([`"${device}"`]);

    const events = await api.exportEvents(id, app.appId);
    expect(events.csv_file_url).toMatch(new RegExp(`^${literally(emulator.url)}/`));
    const eventRows = (await fileLines(events.csv_file_url as string)).slice(1);
    expect(eventRows).toHaveLength(1);
    expect(eventRows[0]).toContain(device);

    const subscriptions = await api.exportSubscriptions(app.appId, { extra_fields: ["country"] });
    expect(subscriptions.csv_file_url).toMatch(new RegExp(`^${literally(emulator.url)}/csv_exports/${app.appId}/`));
    const [exportHeader, ...exportRows] = await fileLines(subscriptions.csv_file_url as string);
    expect(exportHeader?.split(",").at(-1)).toBe("country");
    expect(exportRows.map((row) => row.split(",")[0])).toContain(device);
  });

  it("gets the documented refusal, a 400 naming the route as not emulated, from every call of a route the emulator does not model", async () => {
    const api = sdk();
    const { appId } = app;
    const journey = "00000000-0000-4000-8000-000000000001";
    const calls: [route: string, call: Promise<unknown>][] = [
      [
        "PATCH /apps/{app_id}/subscriptions_by_token/{token_type}/{token}",
        api.updateSubscriptionByToken(appId, "Email", "one@example.com", { subscription: { enabled: false } }),
      ],
      [
        "POST /apps/{app_id}/notifications/{notification_id}/unsubscribe",
        api.unsubscribeEmailWithToken(appId, "00000000-0000-4000-8000-000000000002", "token"),
      ],
      ["GET /apps/{app_id}/outcomes", api.getOutcomes(appId, "os__click.count", undefined, "1d", "1", "total")],
      [
        "POST /apps/{app_id}/activities/activity/{activity_type}",
        api.startLiveActivity(appId, "score", {
          name: "start",
          event: "start",
          activity_id: "a-1",
          event_attributes: {},
          event_updates: {},
          contents: { en: "Go" },
          headings: { en: "Match" },
        }),
      ],
      [
        "POST /apps/{app_id}/live_activities/{activity_id}/notifications",
        api.updateLiveActivity(appId, "a-1", { name: "update", event: "update", event_updates: {} }),
      ],
      ["POST /apps/{app_id}/custom_events", api.createCustomEvents(appId, { events: [{ name: "purchase" }] })],
      ["POST /apps/{app_id}/journeys", api.createJourney(appId, { name: "welcome" })],
      ["GET /apps/{app_id}/journeys", api.viewJourneys(appId)],
      ["GET /apps/{app_id}/journeys/{journey_id}", api.viewJourney(appId, journey)],
      ["PATCH /apps/{app_id}/journeys/{journey_id}", api.updateJourney(appId, journey, {})],
      ["DELETE /apps/{app_id}/journeys/{journey_id}", api.deleteJourney(appId, journey)],
      ["GET /apps/{app_id}/journeys/{journey_id}/stats", api.viewJourneyStats(appId, journey)],
      [
        "PATCH /apps/{app_id}/journeys/{journey_id}/nodes/{node_id}",
        api.updateJourneyNode(appId, journey, "node-1", {}),
      ],
      ["GET /organizations/{organization_id}/audit_logs", api.listAuditLogs(emulator.organizationId)],
      ["GET /apps/{app_id}/email_analytics/delivery_metrics", api.getEmailReputation(appId)],
    ];
    const refusals = await Promise.all(calls.map(async ([route, call]) => [route, await refusalOf(call)] as const));
    expect(Object.fromEntries(refusals)).toEqual(
      Object.fromEntries(calls.map(([route]) => [route, notEmulated(route)])),
    );
  });

  it("refuses alike the email analytics routes next to the SDK's getEmailReputation, which it does not call", async () => {
    for (const route of ["provider_metrics", "provider_metrics_timeseries"]) {
      const answer = await emulator.api<{ errors: string[] }>(
        "GET",
        `/apps/${app.appId}/email_analytics/${route}`,
        app.appKey,
      );
      expect([answer.status, answer.body.errors]).toEqual([
        400,
        [expect.stringMatching(`^GET /apps/\\{app_id\\}/email_analytics/${route} \\(.+\\) is documented by OneSignal`)],
      ]);
    }
  });

  // Last, so that every test above has run: a method the SDK gains in a later version, or one dropped above, fails it.
  it("called every method of the SDK's DefaultApi", () => {
    const offered = Object.getOwnPropertyNames(OneSignal.DefaultApi.prototype).filter(
      (name) => name !== "constructor" && !name.endsWith("WithHttpInfo"),
    );
    expect(offered.length).toBeGreaterThan(50);
    expect([...called].sort()).toEqual(offered.sort());
  });
});
