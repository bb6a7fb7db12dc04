import { describe, expect, it } from "vitest";
import {
  addDevice,
  editDevice,
  exportDevicesCsv,
  type NotificationInput,
  OneSignalError,
  sendNotification,
  upsertDevices,
} from "../../provider/index";
import { useEmulatorApp } from "../support/use-emulator";

// Wrong values from JavaScript callers, spread objects or bad data: each is refused with a message that
// names the argument, before any request, and never as a raw TypeError.

const { emulator, app } = useEmulatorApp();
const hello = { includedSegments: ["Subscribed Users"], contents: { en: "x" } };

const refusals: [string, () => Promise<unknown>, string][] = [
  [
    "an invalid sendAfter",
    () => sendNotification({ appId: app.appId, ...hello, sendAfter: new Date("x") }, app.opts),
    "sendAfter is an invalid Date",
  ],
  [
    "a BigInt in data",
    () => sendNotification({ appId: app.appId, ...hello, data: { n: BigInt(1) } } as never, app.opts),
    "data.n is a bigint",
  ],
  [
    "data that is not an object",
    () => sendNotification({ appId: app.appId, ...hello, data: "text" } as never, app.opts),
    "data must be an object",
  ],
  [
    "a null notification",
    () => sendNotification(null as unknown as NotificationInput, app.opts),
    "it must be an object, not null",
  ],
  [
    "a script URL",
    () => sendNotification({ appId: app.appId, ...hello, url: "javascript:alert(1)" }, app.opts),
    "url must use http or https, not javascript",
  ],
  ["devices that are not a list", () => upsertDevices(app.appId, {} as never, app.opts), "devices must be an array"],
  [
    "a concurrency of NaN",
    () => upsertDevices(app.appId, [], { ...app.opts, concurrency: Number.NaN }),
    "concurrency must be a whole number",
  ],
  ["null changes", () => editDevice(app.appId, "x", null as never, app.opts), "changes must be an object"],
  [
    "a NUL character in text",
    () =>
      sendNotification(
        { appId: app.appId, includedSegments: ["Subscribed Users"], contents: { en: "a\u0000b" } },
        app.opts,
      ),
    "contents.en must not contain NUL characters",
  ],
  [
    "a lone surrogate in text",
    () => sendNotification({ appId: app.appId, ...hello, headings: { en: "\uD800" } }, app.opts),
    "headings.en contains a lone surrogate",
  ],
  [
    "an smsFrom that is no phone number",
    () =>
      sendNotification(
        { appId: app.appId, includePhoneNumbers: ["+15555550100"], smsFrom: "555", contents: { en: "x" } },
        app.opts,
      ),
    "smsFrom must be an E.164 phone number",
  ],
  [
    "a misspelled device field",
    () => addDevice(app.appId, { deviceType: "ios", identifier: "t", tag: { a: "b" } } as never, app.opts),
    '"tag" is not a property of a device; did you mean "tags"?',
  ],
  [
    "a latitude out of range",
    () => editDevice(app.appId, "x", { lat: 200 }, app.opts),
    "lat must be a number from -90 to 90, not 200",
  ],
  [
    "a misspelled option",
    () => exportDevicesCsv(app.appId, { ...app.opts, extraField: ["country"] } as never),
    '"extraField" is not a property of options; did you mean "extraFields"?',
  ],
  [
    "a poll interval of 0",
    () => exportDevicesCsv(app.appId, { ...app.opts, pollIntervalMs: 0 }),
    "pollIntervalMs must be at least 100 ms",
  ],
  [
    "an outFile in a missing directory",
    () => exportDevicesCsv(app.appId, { ...app.opts, outFile: "/nonexistent/dir/devices.csv" }),
    "outFile: the directory /nonexistent/dir does not exist",
  ],
];

describe("refused before any request", () => {
  for (const [what, run, message] of refusals) {
    it(what, async () => {
      const requests = await emulator.requestsDuring(async () => {
        const error = await run().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OneSignalError);
        expect((error as Error).message).toContain(message);
      });
      expect(requests).toEqual([]);
    });
  }
});

describe("upsertDevices", () => {
  it("puts a null item in failed and goes on with the batch", async () => {
    const result = await upsertDevices(
      app.appId,
      [null, { deviceType: "ios", identifier: "a".repeat(64) }] as never,
      app.opts,
    );
    expect(result.failed.map((failure) => [failure.index, failure.error.message])).toEqual([
      [0, "a device must be an object of device fields, not null"],
    ]);
    expect(result.succeeded.map((success) => success.index)).toEqual([1]);
  });
});
