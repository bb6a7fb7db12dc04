import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  addDevice,
  type DeviceUpsert,
  editDevice,
  exportDevicesCsv,
  getDevice,
  getUserIdentity,
  OneSignalApiError,
  OneSignalNotFoundError,
  upsertDevice,
  upsertDevices,
  upsertUser,
} from "../../provider/index";
import { runNode } from "../support/processes";
import { tempDirForTest } from "../support/temp-dirs";
import { useEmulatorApp } from "../support/use-emulator";

const { emulator, app } = useEmulatorApp({ emulator: { exportDelayMs: 300 }, resetEach: true });

async function deviceCount(): Promise<number> {
  const page = await emulator.api<{ total_count: number }>(
    "GET",
    `/players?app_id=${app.appId}&limit=1`,
    app.opts.apiKey,
  );
  return page.body.total_count;
}

describe("addDevice, getDevice, editDevice", () => {
  it("take device types by name or number and answer in camelCase with Dates", async () => {
    const { id } = await addDevice(
      app.appId,
      {
        deviceType: "android",
        identifier: "fcm-1",
        language: "fr",
        appVersion: "2.1",
        tags: { plan: "pro" },
        sessionTime: 90,
      },
      app.opts,
    );
    const device = await getDevice(app.appId, id, app.opts);
    expect(device).toMatchObject({
      id,
      deviceType: 1,
      deviceTypeName: "android",
      identifier: "fcm-1",
      language: "fr",
      appVersion: "2.1",
      sessionTime: 90,
      tags: { plan: "pro" },
      invalidIdentifier: false,
    });
    expect(device.createdAt).toBeInstanceOf(Date);
    await editDevice(
      app.appId,
      id,
      { tags: { plan: "", level: 3 }, lastActive: new Date("2026-01-02T03:04:05Z") },
      app.opts,
    );
    const edited = await getDevice(app.appId, id, app.opts);
    expect(edited.tags).toEqual({ level: "3" });
    expect(edited.lastActive?.toISOString()).toBe("2026-01-02T03:04:05.000Z");
    const email = await addDevice(app.appId, { deviceType: 11, identifier: "qa@example.com" }, app.opts);
    expect((await getDevice(app.appId, email.id, app.opts)).deviceTypeName).toBe("email");
  });

  it("refuse an unknown device type name before any request, and surface OneSignal's refusals", async () => {
    await expect(addDevice(app.appId, { deviceType: "blackberry" as never }, app.opts)).rejects.toThrow(
      /deviceType "blackberry" is not a OneSignal device type/,
    );
    await expect(addDevice(app.appId, { deviceType: "email", identifier: "nope" }, app.opts)).rejects.toThrow(
      "OneSignal answered 400 to POST /players: identifier nope is not a valid email address",
    );
  });
});

describe("upsertDevice", () => {
  it("finds the device by id, by identifier, or by external id, and never adds a duplicate", async () => {
    const byIdentifier = await upsertDevice(
      app.appId,
      { deviceType: "ios", identifier: "abc123", language: "en" },
      app.opts,
    );
    expect(
      (await upsertDevice(app.appId, { deviceType: "ios", identifier: "abc123", language: "de" }, app.opts)).id,
    ).toBe(byIdentifier.id);
    expect((await getDevice(app.appId, byIdentifier.id, app.opts)).language).toBe("de");

    const byExternal = await upsertDevice(
      app.appId,
      { deviceType: "chromeWeb", externalUserId: "u-7", tags: { a: "1" } },
      app.opts,
    );
    const again = await upsertDevice(
      app.appId,
      { deviceType: "chromeWeb", externalUserId: "u-7", tags: { b: "2" } },
      app.opts,
    );
    expect(again.id).toBe(byExternal.id);
    expect((await getDevice(app.appId, byExternal.id, app.opts)).tags).toEqual({ a: "1", b: "2" });
    // Another type for the same user is another device.
    expect((await upsertDevice(app.appId, { deviceType: "android", externalUserId: "u-7" }, app.opts)).id).not.toBe(
      byExternal.id,
    );

    expect(
      (await upsertDevice(app.appId, { id: byIdentifier.id, deviceType: "ios", sessionCount: 9 }, app.opts)).id,
    ).toBe(byIdentifier.id);
    expect((await getDevice(app.appId, byIdentifier.id, app.opts)).sessionCount).toBe(9);
    expect(await deviceCount()).toBe(3);

    await expect(upsertDevice(app.appId, { deviceType: "android" }, app.opts)).rejects.toThrow(
      /needs an id, an identifier or an externalUserId/,
    );
  });
});

function batch(size: number, prefix = "token"): DeviceUpsert[] {
  return Array.from({ length: size }, (_, index) => ({
    deviceType: index % 2 === 0 ? "android" : "ios",
    identifier: `${prefix}${index}`,
    tags: { n: String(index) },
  }));
}

describe("upsertDevices", () => {
  it("reports progress for every item, and the same batch twice leaves the same count", async () => {
    const progress: number[] = [];
    const first = await upsertDevices(app.appId, batch(50), {
      ...app.opts,
      concurrency: 5,
      onProgress: (done) => progress.push(done),
    });
    expect(first.failed).toEqual([]);
    expect(first.succeeded.map((entry) => entry.index)).toEqual([...Array(50).keys()]);
    expect(progress).toEqual([...Array(50).keys()].map((n) => n + 1));
    const second = await upsertDevices(app.appId, batch(50), app.opts);
    expect(second.succeeded.map((entry) => entry.id)).toEqual(first.succeeded.map((entry) => entry.id));
    expect(await deviceCount()).toBe(50);
  });

  it("takes an async iterable and reads it only as requests free up", async () => {
    let read = 0;
    let done = 0;
    let mostAhead = 0;
    async function* devices(): AsyncGenerator<DeviceUpsert> {
      for (const device of batch(120, "stream")) {
        read += 1;
        mostAhead = Math.max(mostAhead, read - done);
        yield device;
      }
    }
    const totals: number[] = [];
    const result = await upsertDevices(app.appId, devices(), {
      ...app.opts,
      concurrency: 6,
      onProgress: (count, total) => {
        done = count;
        totals.push(total);
      },
    });
    expect(result.failed).toEqual([]);
    expect(result.succeeded.map((entry) => entry.index)).toEqual([...Array(120).keys()]);
    expect(await deviceCount()).toBe(120);
    // Never more items held than requests in flight, plus the one just read.
    expect(mostAhead).toBeLessThanOrEqual(7);
    expect(mostAhead).toBeGreaterThan(1);
    // With no total given, progress counts against the items read so far.
    expect(totals.at(-1)).toBe(120);
    const withTotal: number[] = [];
    await upsertDevices(app.appId, new Set(batch(3, "set")), {
      ...app.opts,
      total: 3,
      onProgress: (_, total) => withTotal.push(total),
    });
    expect(withTotal).toEqual([3, 3, 3]);
    // For streams of any length: the count of what made it, without each id.
    const counted = await upsertDevices(app.appId, batch(4, "count"), { ...app.opts, keepSucceeded: false });
    expect(counted).toEqual({ succeeded: [], succeededCount: 4, failed: [] });
    expect(await deviceCount()).toBe(127);
  });

  it("refuses what is not a list of devices, and a bad total, before any request", async () => {
    const requests = await emulator.requestsDuring(async () => {
      await expect(upsertDevices(app.appId, "devices" as never, app.opts)).rejects.toThrow(
        'upsertDevices: devices must be an array or an iterable of devices, not "devices"',
      );
      await expect(upsertDevices(app.appId, 5 as never, app.opts)).rejects.toThrow("not 5");
      await expect(upsertDevices(app.appId, [], { ...app.opts, total: -1 })).rejects.toThrow(
        "upsertDevices: total must be a whole number, not -1",
      );
      await expect(upsertDevices(app.appId, [], { ...app.opts, keepSucceeded: "no" as never })).rejects.toThrow(
        'upsertDevices: keepSucceeded must be true or false, not "no"',
      );
    });
    expect(requests).toEqual([]);
  });

  it("reports a bad item without stopping the batch", async () => {
    const devices = batch(10);
    devices[3] = { deviceType: "email", identifier: "not-an-email" };
    devices[6] = { deviceType: "fax" as never, identifier: "x" };
    const progress: [number, number][] = [];
    const result = await upsertDevices(app.appId, devices, {
      ...app.opts,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(result.failed.map((entry) => entry.index)).toEqual([3, 6]);
    expect(result.failed[0]?.error).toBeInstanceOf(OneSignalApiError);
    expect(result.failed[0]?.error.message).toContain("is not a valid email address");
    expect(result.succeeded).toHaveLength(8);
    expect(progress.at(-1)).toEqual([10, 10]);
    expect(await deviceCount()).toBe(8);
  });

  it("goes through 429s, 503s and dropped connections with nothing lost or duplicated", async () => {
    await emulator.fault({ method: "POST", path: "/players", status: 429, retryAfter: 1, times: 5 });
    await emulator.fault({ method: "POST", path: "/players", status: 503, times: 5 });
    await emulator.fault({ method: "POST", path: "/players", afterCommit: true, times: 3 });
    await emulator.fault({ method: "POST", path: "/players", reset: true, times: 3 });
    const devices: DeviceUpsert[] = [
      ...batch(200),
      ...Array.from({ length: 20 }, (_, index) => ({
        deviceType: "chromeWeb" as const,
        externalUserId: `user-${index}`,
      })),
    ];
    const result = await upsertDevices(app.appId, devices, { ...app.opts, concurrency: 8 });
    expect(result.failed).toEqual([]);
    expect(result.succeeded).toHaveLength(220);
    expect(new Set(result.succeeded.map((entry) => entry.id)).size).toBe(220);
    expect(await deviceCount()).toBe(220);
    const statuses = (await emulator.requests()).map((entry) => entry.status);
    expect(statuses.filter((status) => status === 429)).toHaveLength(5);
    expect(statuses.filter((status) => status === 503)).toHaveLength(5);
    expect(statuses.filter((status) => status === 0)).toHaveLength(6);
  });

  it("upserts 10,000 devices through injected faults without loss or duplicates", async () => {
    await emulator.fault({ method: "POST", path: "/players", status: 429, retryAfter: 1, times: 20 });
    await emulator.fault({ method: "POST", path: "/players", status: 503, times: 20 });
    await emulator.fault({ method: "POST", path: "/players", afterCommit: true, times: 10 });
    const result = await upsertDevices(app.appId, batch(10_000, "bulk"), { ...app.opts, concurrency: 16 });
    expect(result.failed).toEqual([]);
    expect(new Set(result.succeeded.map((entry) => entry.id)).size).toBe(10_000);
    expect(await deviceCount()).toBe(10_000);
  }, 120_000);
});

describe("getUserIdentity", () => {
  it("shows a user's aliases, by any of them, and says when OneSignal knows no such user", async () => {
    const user = await upsertUser(app.appId, { identity: { external_id: "id-1", crm_id: "C-7" } }, app.opts);
    const byExternal = await getUserIdentity(app.appId, { label: "external_id", id: "id-1" }, app.opts);
    expect(byExternal).toEqual({ external_id: "id-1", crm_id: "C-7", onesignal_id: user.onesignalId });
    expect(await getUserIdentity(app.appId, { label: "crm_id", id: "C-7" }, app.opts)).toEqual(byExternal);
    await expect(getUserIdentity(app.appId, { label: "external_id", id: "nobody" }, app.opts)).rejects.toBeInstanceOf(
      OneSignalNotFoundError,
    );
    await expect(getUserIdentity(app.appId, { label: "", id: "x" }, app.opts)).rejects.toThrow(
      "alias.label must be non-empty text",
    );
    const cli = await runNode(
      "dist/provider/cli/index.js",
      ["--json", "user", "identity", "external_id", "id-1", "--app-id", app.appId],
      {
        ONESIGNAL_API_URL: app.opts.apiUrl,
        ONESIGNAL_APP_API_KEY: app.opts.apiKey,
      },
    );
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual(byExternal);
  });
});

describe("upsertUser", () => {
  it("creates and then updates a user with aliases, properties and subscriptions", async () => {
    const created = await upsertUser(
      app.appId,
      {
        identity: { external_id: "u-1", crm_id: "C-42" },
        properties: { tags: { plan: "pro" }, language: "fr", timezoneId: "Europe/Paris" },
        subscriptions: [{ type: "Email", token: "u1@example.com" }],
      },
      app.opts,
    );
    expect(created).toMatchObject({
      onesignalId: expect.any(String),
      identity: { external_id: "u-1", crm_id: "C-42" },
      properties: { tags: { plan: "pro" }, language: "fr", timezoneId: "Europe/Paris" },
      subscriptions: [expect.objectContaining({ type: "Email", token: "u1@example.com", enabled: true })],
    });
    const updated = await upsertUser(
      app.appId,
      {
        identity: { crm_id: "C-42" },
        properties: { tags: { plan: "", seen: "1" } },
        subscriptions: [{ type: "SMS", token: "+15555550101" }],
      },
      app.opts,
    );
    expect(updated.onesignalId).toBe(created.onesignalId);
    expect(updated.properties.tags).toEqual({ seen: "1" });
    expect(updated.subscriptions.map((sub) => sub.type).sort()).toEqual(["Email", "SMS"]);
  });
});

describe("exportDevicesCsv", () => {
  it("waits for the file, downloads, gunzips and parses it: one row per device", async () => {
    await upsertDevices(app.appId, batch(25), app.opts);
    const waits: number[] = [];
    const rows = await exportDevicesCsv(app.appId, {
      ...app.opts,
      pollIntervalMs: 100,
      extraFields: ["country"],
      onWait: (ms) => waits.push(ms),
    });
    expect(rows).toHaveLength(25);
    expect(waits.length).toBeGreaterThan(0);
    expect(rows[0]).toHaveProperty("country");
    expect(rows.map((row) => row.identifier).sort()).toEqual(
      batch(25)
        .map((device) => device.identifier)
        .sort(),
    );
    expect(JSON.parse(rows.find((row) => row.identifier === "token3")?.tags ?? "{}")).toEqual({ n: "3" });
  });

  it("writes the CSV to a file when asked", async () => {
    await upsertDevices(app.appId, batch(3), app.opts);
    const file = path.join(tempDirForTest("export-"), "devices.csv");
    expect(await exportDevicesCsv(app.appId, { ...app.opts, pollIntervalMs: 100, outFile: file })).toEqual({
      file,
      rowCount: 3,
    });
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(4);
  });

  it("exports a segment's subscribed devices, and its unsubscribed ones with includeUnsubscribed", async () => {
    await upsertDevices(
      app.appId,
      [
        { deviceType: "android", identifier: "in-1", tags: { plan: "pro" } },
        { deviceType: "android", identifier: "in-2", tags: { plan: "pro" }, notificationTypes: -2 },
        { deviceType: "android", identifier: "out", tags: { plan: "free" } },
      ],
      app.opts,
    );
    await emulator.api("POST", `/apps/${app.appId}/segments`, app.opts.apiKey, {
      name: "Pro",
      filters: [{ field: "tag", key: "plan", relation: "=", value: "pro" }],
    });
    const identifiers = (rows: { identifier?: string }[]) => rows.map((row) => row.identifier).sort();
    const fast = { ...app.opts, pollIntervalMs: 100 };
    expect(identifiers(await exportDevicesCsv(app.appId, { ...fast, segmentName: "Pro" }))).toEqual(["in-1"]);
    expect(
      identifiers(await exportDevicesCsv(app.appId, { ...fast, segmentName: "Pro", includeUnsubscribed: true })),
    ).toEqual(["in-1", "in-2"]);
    const requests = await emulator.requestsDuring(async () => {
      await expect(exportDevicesCsv(app.appId, { ...fast, includeUnsubscribed: true })).rejects.toThrow(
        "exportDevicesCsv: includeUnsubscribed must be given with segmentName",
      );
    });
    expect(requests).toEqual([]);
  });

  it("gives up with a clear error after its timeout", async () => {
    await expect(exportDevicesCsv(app.appId, { ...app.opts, pollIntervalMs: 100, timeoutMs: 150 })).rejects.toThrow(
      /not ready after/,
    );
  });
});
