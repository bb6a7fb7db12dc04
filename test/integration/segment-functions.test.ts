import { describe, expect, it } from "vitest";
import { getSegment, listSegments, OneSignalNotFoundError } from "../../provider/index";
import { useEmulatorApp } from "../support/use-emulator";

const { emulator, app } = useEmulatorApp();

describe("listSegments and getSegment", () => {
  it("walk every page of segments, oldest first", async () => {
    const names = Array.from({ length: 305 }, (_, index) => `segment-${String(index).padStart(3, "0")}`);
    for (const name of names) {
      await emulator.api("POST", `/apps/${app.appId}/segments`, app.appKey, {
        name,
        filters: [{ field: "tag", key: "n", relation: "=", value: name }],
      });
    }
    const before = (await emulator.requests()).length;
    const segments = await listSegments(app.appId, app.opts);
    expect(segments.map((segment) => segment.name)).toEqual(names);
    expect(segments[0]).toMatchObject({ isActive: true, readOnly: false });
    const pages = (await emulator.requests()).slice(before).map((entry) => entry.path);
    expect(pages).toEqual([`/apps/${app.appId}/segments`, `/apps/${app.appId}/segments`]);
  });

  it("read one segment with its filters in camelCase", async () => {
    const created = await emulator.api<{ id: string }>("POST", `/apps/${app.appId}/segments`, app.appKey, {
      name: "Recent",
      description: "Seen today",
      filters: [{ field: "last_session", relation: "<", hours_ago: "24" }],
    });
    process.env.ONESIGNAL_API_URL = emulator.url;
    process.env.ONESIGNAL_APP_API_KEY = app.appKey;
    try {
      const segment = await getSegment(app.appId, created.body.id);
      expect(segment).toMatchObject({
        id: created.body.id,
        name: "Recent",
        description: "Seen today",
        filters: [{ field: "lastSession", relation: "<", hoursAgo: "24" }],
        subscriberCount: 0,
        source: "custom",
      });
      expect(Date.parse(segment.createdAt ?? "")).not.toBeNaN();
      await expect(getSegment(app.appId, "6f1c7c9a-3b0e-4c55-9d7f-2a1b3c4d5e6f")).rejects.toBeInstanceOf(
        OneSignalNotFoundError,
      );
    } finally {
      delete process.env.ONESIGNAL_API_URL;
      delete process.env.ONESIGNAL_APP_API_KEY;
    }
  });
});
