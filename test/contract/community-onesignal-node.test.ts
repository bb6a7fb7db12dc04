/**
 * The community client `onesignal-node` 3.4.0, pointed at the emulator (its `apiRoot` option): every method of its
 * `Client` (an app's key) and `UserClient` (the organization's key) is called, and what it parsed (the JSON body of
 * each answer) is checked, not only that it resolved. A client nobody here wrote, speaking the legacy `/players`
 * API with a `Basic` authorization header.
 *
 * | Method                               | Route                                                   | Emulator |
 * | ------------------------------------ | ------------------------------------------------------- | -------- |
 * | UserClient createApp, viewApp        | POST /apps, GET /apps/{app_id}                          | served   |
 * | UserClient viewApps, updateApp       | GET /apps, PUT /apps/{app_id}                           | served   |
 * | createNotification                   | POST /notifications                                     | served   |
 * | viewNotification, cancelNotification | GET, DELETE /notifications/{id}?app_id=                 | served   |
 * | viewNotifications                    | GET /notifications?app_id=&limit=&offset=&kind=         | served   |
 * | notificationHistory                  | POST /notifications/{id}/history                        | served   |
 * | addDevice, viewDevices               | POST, GET /players                                      | served   |
 * | viewDevice, editDevice, deleteDevice | GET, PUT, DELETE /players/{id}                          | served   |
 * | editTagsWithExternalUserIdDevice     | PUT /apps/{app_id}/users/{external_user_id}             | served   |
 * | exportCSV                            | POST /players/csv_export?app_id=                        | served   |
 * | createSegment, deleteSegment         | POST /apps/{app_id}/segments, DELETE .../{segment_id}   | served   |
 * | newSession                           | POST /players/{id}/on_session                           | refused  |
 * | newPurchase                          | POST /players/{id}/on_purchase                          | refused  |
 * | incrementSessionLength               | POST /players/{id}/on_focus                             | refused  |
 * | signUserExternalId, signUserEmail    | none (an HMAC made locally with the app's key)          | local    |
 *
 * "Refused": the emulator does not model the route and answers the 400 docs/emulator.md documents, naming the route
 * as not emulated. The last test checks that every method of both classes was called.
 */
import { createHmac } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { Client, HTTPError, UserClient } from "onesignal-node";
import { describe, expect, it } from "vitest";
import { useEmulatorApp } from "../support/use-emulator";

/** What a refused call rejected with, as the client's users read it: the status and the parsed body. */
interface Refusal {
  status: number;
  body: unknown;
}

/** The refusal `call` ends in; fails the test when it resolves or rejects with anything but the client's HTTPError. */
async function refusalOf(call: Promise<unknown>): Promise<Refusal> {
  try {
    await call;
  } catch (error) {
    // The client passes on the body it parsed as a JSON string (HTTPError's `body`).
    if (error instanceof HTTPError) return { status: error.statusCode, body: JSON.parse(error.body) };
    throw error;
  }
  throw new Error("the call resolved; a refusal was expected");
}

/** `text` as a regular expression that matches it literally. */
function literally(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The body of a `status` answer (200 unless told), as the client parsed it: the status is checked first. */
async function ok(
  call: Promise<{ statusCode: number; body: unknown }>,
  status = 200,
): Promise<Record<string, unknown>> {
  const response = await call;
  expect(response.statusCode).toBe(status);
  expect(typeof response.body).toBe("object");
  return response.body as Record<string, unknown>;
}

describe("the community client (onesignal-node 3.4.0) against the emulator", () => {
  const { emulator, app } = useEmulatorApp({ emulator: { exportDelayMs: 0 } });
  /** The names of the methods the tests called, by class, so that the last test can tell which were left out. */
  const called = new Set<string>();
  function recordingCalls<T extends object>(prefix: string, target: T): T {
    return new Proxy(target, {
      get(object, key, receiver) {
        const member: unknown = Reflect.get(object, key, receiver);
        if (typeof member !== "function" || typeof key !== "string") return member;
        return (...args: unknown[]) => {
          called.add(`${prefix}.${key}`);
          return member.apply(object, args);
        };
      },
    });
  }
  /** The clients as their users configure them: the emulator's URL as the API root. */
  const client = () => recordingCalls("Client", new Client(app.appId, app.appKey, { apiRoot: emulator.url }));
  const userClient = () =>
    recordingCalls("UserClient", new UserClient(emulator.organizationApiKey, { apiRoot: emulator.url }));

  it("runs the UserClient's calls: create, view, list, and update apps", async () => {
    const users = userClient();
    const created = await ok(users.createApp({ name: "community-app", chrome_web_origin: "https://example.com" }));
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect([created.name, created.chrome_web_origin, created.players]).toEqual([
      "community-app",
      "https://example.com",
      0,
    ]);
    const id = created.id as string;

    const viewed = await ok(users.viewApp(id));
    expect([viewed.id, viewed.name]).toEqual([id, "community-app"]);

    const listed = await users.viewApps();
    expect(listed.statusCode).toBe(200);
    expect((listed.body as { id: string; name: string }[]).map((each) => [each.id, each.name])).toEqual(
      expect.arrayContaining([[id, "community-app"]]),
    );

    const updated = await ok(users.updateApp(id, { name: "community-app-renamed" }));
    expect([updated.id, updated.name]).toEqual([id, "community-app-renamed"]);
    expect((await ok(users.viewApp(id))).name).toBe("community-app-renamed");
  });

  it("runs the devices' calls: add, view, list, edit, edit tags by external user id, delete", async () => {
    const api = client();
    const added = await ok(
      api.addDevice({
        device_type: 1,
        identifier: "community-token",
        language: "fr",
        tags: { level: "3" },
        external_user_id: "community-user",
      }),
    );
    expect(added.success).toBe(true);
    expect(added.id).toMatch(/\S/);
    const id = added.id as string;

    const viewed = await ok(api.viewDevice(id));
    expect([viewed.id, viewed.identifier, viewed.language, viewed.tags]).toEqual([
      id,
      "community-token",
      "fr",
      { level: "3" },
    ]);

    const listed = await ok(api.viewDevices({ limit: 10, offset: 0 }));
    expect([listed.total_count, listed.offset, listed.limit]).toEqual([1, 0, 10]);
    expect((listed.players as { id: string }[]).map((each) => each.id)).toEqual([id]);

    const edited = await ok(api.editDevice(id, { language: "de" }));
    expect(edited.success).toBe(true);
    expect((await ok(api.viewDevice(id))).language).toBe("de");

    const tagged = await ok(api.editTagsWithExternalUserIdDevice("community-user", { tags: { level: "4", vip: "1" } }));
    expect(tagged.success).toBe(true);
    expect((await ok(api.viewDevice(id))).tags).toEqual({ level: "4", vip: "1" });

    const deleted = await ok(api.deleteDevice(id));
    expect(deleted.success).toBe(true);
    expect((await refusalOf(api.viewDevice(id))).status).toBe(404);
  });

  it("runs the messages' calls: create, view, list, cancel, history", async () => {
    const api = client();
    const device = (await ok(api.addDevice({ device_type: 1, identifier: "community-message-token" }))).id as string;
    const sent = await ok(
      api.createNotification({ contents: { en: "Hello from the community" }, include_player_ids: [device] }),
    );
    expect(sent.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.errors).toBeUndefined();
    const id = sent.id as string;

    const viewed = await ok(api.viewNotification(id));
    expect(viewed.id).toBe(id);
    expect(viewed.contents).toEqual(expect.objectContaining({ en: "Hello from the community" }));
    expect([viewed.successful, viewed.failed, viewed.remaining, viewed.canceled]).toEqual([1, 0, 0, false]);

    const later = await ok(
      api.createNotification({
        contents: { en: "Later" },
        include_player_ids: [device],
        send_after: "2099-01-01T00:00:00Z",
      }),
    );
    const laterId = later.id as string;
    expect((await ok(api.cancelNotification(laterId))).success).toBe(true);
    expect((await ok(api.viewNotification(laterId))).canceled).toBe(true);
    expect((await refusalOf(api.cancelNotification(laterId))).status).toBe(400);

    const listed = await ok(api.viewNotifications({ limit: 10, offset: 0, kind: 1 }));
    expect([listed.total_count, listed.offset, listed.limit]).toEqual([2, 0, 10]);
    expect((listed.notifications as { id: string }[]).map((each) => each.id).sort()).toEqual([id, laterId].sort());

    const history = await ok(api.notificationHistory(id, { events: "sent", email: "ops@example.com" }));
    expect(history.success).toBe(true);
    expect(history.destination_url).toMatch(new RegExp(`^${literally(emulator.url)}/`));
    const file = await fetch(history.destination_url as string);
    expect(file.status).toBe(200);
    const rows = (await file.text()).trim().split("\n").slice(1);
    expect(rows.map((row) => row.split(",")[0])).toEqual([`"${device}"`]);
  });

  it("runs the segments' calls and the CSV export", async () => {
    const api = client();
    const device = (await ok(api.addDevice({ device_type: 1, identifier: "community-export-token", tags: { a: "1" } })))
      .id as string;
    const created = await ok(
      api.createSegment({
        name: "community-segment",
        filters: [{ field: "tag", key: "a", relation: "=", value: "1" }],
      }),
      // Create segment documents a 201 Created.
      201,
    );
    expect(created.success).toBe(true);
    expect(created.id).toMatch(/\S/);
    const segment = created.id as string;
    const listed = await emulator.api<{ segments: { id: string; name: string }[] }>(
      "GET",
      `/apps/${app.appId}/segments`,
      app.appKey,
    );
    expect(listed.body.segments.map((each) => [each.id, each.name])).toContainEqual([segment, "community-segment"]);
    expect((await ok(api.deleteSegment(segment))).success).toBe(true);
    expect((await refusalOf(api.deleteSegment(segment))).status).toBe(404);

    const exported = await ok(api.exportCSV({ extra_fields: ["country"] }));
    expect(exported.csv_file_url).toMatch(new RegExp(`^${literally(emulator.url)}/csv_exports/${app.appId}/`));
    const file = await fetch(exported.csv_file_url as string);
    expect(file.status).toBe(200);
    const [header, ...rows] = gunzipSync(Buffer.from(await file.arrayBuffer()))
      .toString("utf8")
      .trim()
      .split("\n");
    expect(header?.split(",").at(-1)).toBe("country");
    expect(rows.map((row) => row.split(",")[0])).toContain(device);
  });

  it("signs an external user id and an email with the app's key, as identity verification documents", () => {
    const api = client();
    const hmac = (text: string) => createHmac("sha256", app.appKey).update(text).digest("hex");
    expect(api.signUserExternalId("community-user")).toBe(hmac("community-user"));
    expect(api.signUserEmail("one@example.com")).toBe(hmac("one@example.com"));
  });

  it("gets the documented refusal, a 400 naming the route as not emulated, from the session and purchase calls", async () => {
    const api = client();
    const device = (await ok(api.addDevice({ device_type: 1, identifier: "community-session-token" }))).id as string;
    const calls: [route: string, call: Promise<unknown>][] = [
      ["POST /players/{player_id}/on_session", api.newSession(device, { language: "en" })],
      [
        "POST /players/{player_id}/on_purchase",
        api.newPurchase(device, { purchases: [{ sku: "sku-1", amount: 1.5, iso: "USD" }] }),
      ],
      ["POST /players/{player_id}/on_focus", api.incrementSessionLength(device, { state: "ping", active_time: 60 })],
    ];
    const refusals = await Promise.all(calls.map(async ([route, call]) => [route, await refusalOf(call)] as const));
    expect(Object.fromEntries(refusals)).toEqual(
      Object.fromEntries(
        calls.map(([route]) => [
          route,
          {
            status: 400,
            body: {
              errors: [
                expect.stringMatching(
                  new RegExp(`^${literally(route)} \\(.+\\) is documented by OneSignal but not emulated`),
                ),
              ],
            },
          },
        ]),
      ),
    );
  });

  // Last, so that every test above has run: a method dropped above, or one a later version adds, fails it.
  it("called every method of the client's Client and UserClient", () => {
    const offered = [Client, UserClient].flatMap((type) =>
      Object.getOwnPropertyNames(type.prototype)
        .filter((name) => name !== "constructor")
        .map((name) => `${type.name}.${name}`),
    );
    expect(offered.length).toBe(23);
    expect([...called].sort()).toEqual(offered.sort());
  });
});
