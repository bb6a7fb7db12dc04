import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDevice,
  editDevice,
  exportDevicesCsv,
  getDevice,
  getNotificationHistory,
  listNotifications,
  OneSignalApiError,
  OneSignalError,
  sendNotification,
  upsertDevice,
  upsertDevices,
  upsertUser,
} from "../../provider/index";
import { checkApiKey } from "../../provider/resources/api-key";
import { checkApp } from "../../provider/resources/app";
import { checkSegment } from "../../provider/resources/segment";
import { checkTemplate } from "../../provider/resources/template";
import { useEmulatorApp } from "../support/use-emulator";

// Generated wrong-type and edge-case values go into every public function and every resource check.
// Functions answer with a OneSignalError, never a raw TypeError or RangeError; what they refuse locally
// makes no request. Checks never throw: they return failures.

const { emulator, app } = useEmulatorApp();

/** Edge cases first, then anything: the values that crashed callers before. */
const edgy = fc.oneof(
  fc.constantFrom(null, undefined, Number.NaN, Number.POSITIVE_INFINITY, -1, 0, "", "\u0000", "\uD800", [], {}),
  fc.constantFrom(new Date("x"), new Date(0), BigInt(1), () => 1, Symbol("s")),
  fc.anything({ maxDepth: 2 }),
);

/** An object whose fields carry the names the functions know, with any values. */
function objectsWith(keys: string[]) {
  return fc.dictionary(fc.constantFrom(...keys), edgy, { maxKeys: 4 });
}

const NOTIFICATION_KEYS = [
  "appId",
  "contents",
  "headings",
  "includedSegments",
  "filters",
  "includeAliases",
  "targetChannel",
  "data",
  "url",
  "sendAfter",
  "smsFrom",
  "emailSubject",
  "emailBody",
  "idempotencyKey",
  "templateId",
  "buttons",
];
const DEVICE_KEYS = [
  "deviceType",
  "identifier",
  "externalUserId",
  "tags",
  "lat",
  "long",
  "language",
  "lastActive",
  "id",
];
const USER_KEYS = ["identity", "properties", "subscriptions"];

async function settle(run: () => Promise<unknown>): Promise<{ error?: unknown; requests: number }> {
  const before = (await emulator.requests()).length;
  let error: unknown;
  try {
    await run();
  } catch (caught) {
    error = caught;
  }
  return { error, requests: (await emulator.requests()).length - before };
}

/** The property every function keeps. */
async function holds(run: () => Promise<unknown>): Promise<void> {
  const { error, requests } = await settle(run);
  if (error === undefined) return;
  expect(error, (error as Error)?.stack ?? String(error)).toBeInstanceOf(OneSignalError);
  // A refusal of its own (not OneSignal's answer, not a lost connection) comes before any request.
  const afterRequests = /no response from OneSignal|was not ready after/.test((error as Error).message);
  const local = !(error instanceof OneSignalApiError) && !afterRequests;
  if (local) expect(requests, (error as Error).message).toBe(0);
}

// A fixed seed keeps every CI run the same; FUZZ_SEED and FUZZ_RUNS explore further.
const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 60), seed: Number(process.env.FUZZ_SEED ?? 20261126) };

describe("public functions under generated input", () => {
  it("sendNotification", async () => {
    const base = { appId: "", includedSegments: ["Subscribed Users"], contents: { en: "x" } };
    await fc.assert(
      fc.asyncProperty(fc.oneof(edgy, objectsWith(NOTIFICATION_KEYS)), async (changes) => {
        const notification =
          typeof changes === "object" && changes !== null && !Array.isArray(changes)
            ? { ...base, appId: app.appId, ...changes }
            : changes;
        await holds(() => sendNotification(notification as never, app.opts));
      }),
      RUNS,
    );
  });

  it("addDevice, editDevice, upsertDevice, getDevice", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(edgy, objectsWith(DEVICE_KEYS)), edgy, async (device, id) => {
        await holds(() => addDevice(app.appId, device as never, app.opts));
        await holds(() => editDevice(app.appId, id as never, device as never, app.opts));
        await holds(() => upsertDevice(app.appId, device as never, app.opts));
        await holds(() => getDevice(app.appId, id as never, app.opts));
      }),
      RUNS,
    );
  });

  it("upsertDevices: bad lists and options are refused, bad items go to failed", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(edgy, fc.array(fc.oneof(edgy, objectsWith(DEVICE_KEYS)), { maxLength: 4 })),
        edgy,
        async (devices, concurrency) => {
          await holds(() =>
            upsertDevices(app.appId, devices as never, { ...app.opts, concurrency: concurrency as never }),
          );
          if (Array.isArray(devices)) {
            const result = await upsertDevices(app.appId, devices as never, app.opts);
            expect(result.succeeded.length + result.failed.length).toBe(devices.length);
            for (const failure of result.failed) expect(failure.error).toBeInstanceOf(OneSignalError);
          }
        },
      ),
      RUNS,
    );
  });

  it("upsertUser", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(edgy, objectsWith(USER_KEYS)), async (user) => {
        await holds(() => upsertUser(app.appId, user as never, app.opts));
      }),
      RUNS,
    );
  });
});

describe("option objects under generated input", () => {
  const optionNames = ["apiKey", "apiUrl", "requestTimeoutMs", "deadlineMs", "pollIntervalMs", "timeoutMs", "outFile"];
  it("exportDevicesCsv, listNotifications, getNotificationHistory", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(edgy, objectsWith([...optionNames, "extraFields", "extraField", "kind", "pageSize"])),
        async (options) => {
          // Keys and URLs stay valid where given as such, so a refusal is about the generated option itself.
          const merged =
            typeof options === "object" && options !== null && !Array.isArray(options)
              ? { ...app.opts, ...options }
              : options;
          await holds(() =>
            exportDevicesCsv(app.appId, { ...(merged as object), pollIntervalMs: 100, timeoutMs: 1 } as never),
          );
          await holds(async () => {
            for await (const _ of listNotifications(app.appId, options as never, app.opts)) break;
          });
          await holds(() =>
            getNotificationHistory(app.appId, "x", { events: "sent", ...(options as object) } as never, app.opts),
          );
        },
      ),
      { ...RUNS, numRuns: Math.min(RUNS.numRuns, 40) },
    );
  });
});

describe("resource checks under generated input", () => {
  const checks = [
    ["App", checkApp, ["name", "chromeWebOrigin", "siteName", "apnsP8", "organizationId", "fcmServiceAccountJson"]],
    ["ApiKey", checkApiKey, ["appId", "name", "ipAllowlistMode", "ipAllowlist", "rotation"]],
    ["Segment", checkSegment, ["appId", "name", "description", "filters", "apiKey"]],
    ["Template", checkTemplate, ["appId", "name", "channel", "contents", "headings", "emailSubject", "smsFrom", "url"]],
  ] as const;
  for (const [name, check, keys] of checks) {
    it(`${name}: never throws, answers with failures`, () => {
      fc.assert(
        fc.property(objectsWith([...keys]), objectsWith([...keys]), (olds, news) => {
          const failures = (check as (olds: unknown, news: unknown) => { property: string; reason: string }[])(
            olds,
            news,
          );
          expect(Array.isArray(failures)).toBe(true);
          for (const failure of failures) {
            expect(typeof failure.property).toBe("string");
            expect(typeof failure.reason).toBe("string");
          }
        }),
        { numRuns: 300, seed: RUNS.seed },
      );
    });
  }
});
