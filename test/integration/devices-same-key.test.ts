import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { type DeviceUpsert, upsertDevice, upsertDevices } from "../../provider/index";
import { runNode } from "../support/processes";
import { tempDirForTest } from "../support/temp-dirs";
import { useEmulatorApp } from "../support/use-emulator";

// Within one call of upsertDevices (and so of `devices import`), rows that share a key never make two devices: a
// row with an identifier and an external id makes the device that a later row with that external id alone must
// find, so the second waits for the first. Across calls nothing is serialized (docs/functions.md says why).

const CLI = "dist/provider/cli/index.js";
const { emulator, app } = useEmulatorApp({ resetEach: true });

interface ListedDevice {
  id: string;
  identifier: string | null;
  external_user_id: string | null;
  device_type: number;
  tags: Record<string, string>;
}

/** Every device of the app (fewer than 300 here: one page). */
async function devices(): Promise<ListedDevice[]> {
  const page = await emulator.api<{ players: ListedDevice[] }>(
    "GET",
    `/players?app_id=${app.appId}&limit=300`,
    app.appKey,
  );
  return page.body.players;
}

/**
 * Every add lands late: a row that does not wait for the add of an earlier row with its key looks its user up
 * before that add has landed, finds nothing, and adds a second device.
 */
async function slowAdds(): Promise<void> {
  await emulator.fault({ method: "POST", path: "/players", delayMs: 150, times: 1000 });
}

/** For each user: first its phone by token and external id, then the same phone by external id alone. */
const USERS = 12;
function phoneRows(): DeviceUpsert[] {
  return Array.from({ length: USERS }, (_, user): DeviceUpsert[] => [
    { deviceType: "android", identifier: `fcm-${user}`, externalUserId: `user-${user}`, tags: { plan: "pro" } },
    { deviceType: "android", externalUserId: `user-${user}`, tags: { seen: "yes" } },
  ]).flat();
}

/** One device per user, with the tags of both rows: what the rows make one after another. */
async function expectOnePhonePerUser(): Promise<void> {
  const listed = await devices();
  expect(listed).toHaveLength(USERS);
  for (let user = 0; user < USERS; user++) {
    const mine = listed.filter((device) => device.external_user_id === `user-${user}`);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ identifier: `fcm-${user}`, device_type: 1, tags: { plan: "pro", seen: "yes" } });
  }
}

describe("upsertDevices, rows that share a key in one call", () => {
  it("never makes two devices when one row has a token and an external id and a later one the external id alone", async () => {
    await slowAdds();
    // Every row at once: without ordering by key, each second row would run beside its first.
    const result = await upsertDevices(app.appId, phoneRows(), { ...app.opts, concurrency: 2 * USERS });
    expect(result.failed).toEqual([]);
    const ids = result.succeeded.map((entry) => entry.id);
    for (let user = 0; user < USERS; user++) expect(ids[2 * user + 1]).toBe(ids[2 * user]);
    await expectOnePhonePerUser();
  });

  it("orders rows by every key they hold, in input order", async () => {
    await slowAdds();
    const rows: DeviceUpsert[] = [
      // The same external id alone, twice, for another type: one device, both rows' tags.
      { deviceType: "chromeWeb", externalUserId: "web-user", tags: { a: "1" } },
      { deviceType: "chromeWeb", externalUserId: "web-user", tags: { b: "2" } },
      // The same token twice, once with an external id: one device, found by its token.
      { deviceType: "ios", identifier: "apns1", tags: { c: "3" } },
      { deviceType: "ios", identifier: "apns1", externalUserId: "ios-user", tags: { d: "4" } },
      // ...and then that user's iOS device by external id alone: the same one, through the second row.
      { deviceType: "ios", externalUserId: "ios-user", tags: { e: "5" } },
    ];
    const result = await upsertDevices(app.appId, rows, { ...app.opts, concurrency: rows.length });
    expect(result.failed).toEqual([]);
    const ids = result.succeeded.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(2);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[3]).toBe(ids[2]);
    expect(ids[4]).toBe(ids[2]);
    const listed = await devices();
    expect(listed).toHaveLength(2);
    expect(listed.find((device) => device.id === ids[0])?.tags).toEqual({ a: "1", b: "2" });
    expect(listed.find((device) => device.id === ids[2])).toMatchObject({
      external_user_id: "ios-user",
      tags: { c: "3", d: "4", e: "5" },
    });
  });

  it("refuses, item by item, a Windows Phone or Alexa device by external id alone: no lookup could find it again", async () => {
    const requests = await emulator.requestsDuring(async () => {
      await expect(
        upsertDevice(app.appId, { deviceType: "windowsPhone", externalUserId: "old-phone" }, app.opts),
      ).rejects.toThrow(
        'upsertDevice cannot find a "windowsPhone" device by externalUserId: OneSignal\'s user model has no subscription type for it',
      );
      const result = await upsertDevices(
        app.appId,
        [
          { deviceType: "alexa", externalUserId: "speaker" },
          { deviceType: "alexa", externalUserId: "speaker" },
        ],
        app.opts,
      );
      expect(result.failed.map((entry) => entry.index)).toEqual([0, 1]);
      expect(result.failed[0]?.error.message).toContain("give its id or identifier");
    });
    expect(requests).toEqual([]);
    // With a token, it is found by the token as any device is.
    const first = await upsertDevice(
      app.appId,
      { deviceType: "windowsPhone", identifier: "wns-1", externalUserId: "old-phone" },
      app.opts,
    );
    const again = await upsertDevice(app.appId, { deviceType: "windowsPhone", identifier: "wns-1" }, app.opts);
    expect(again.id).toBe(first.id);
    expect(await devices()).toHaveLength(1);
  });
});

describe("pulumi-onesignal devices import, rows that share a key in one file", () => {
  it("makes one device per user from a row with a token and a later row without", async () => {
    const dir = tempDirForTest("same-key-");
    const file = path.join(dir, "devices.csv");
    const lines = ["device_type,identifier,external_user_id,tag:plan,tag:seen"];
    for (let user = 0; user < USERS; user++) {
      lines.push(`android,fcm-${user},user-${user},pro,`);
      lines.push(`android,,user-${user},,yes`);
    }
    writeFileSync(file, `${lines.join("\n")}\n`);
    await slowAdds();
    const result = await runNode(
      CLI,
      ["--json", "devices", "import", file, "--concurrency", String(2 * USERS)],
      app.env,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 2 * USERS, succeeded: 2 * USERS, failed: 0 });
    await expectOnePhonePerUser();
  });
});
