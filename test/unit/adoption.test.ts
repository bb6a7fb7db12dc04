import { describe, expect, it } from "vitest";
import { importFileFrom, logicalName } from "../../provider/functions/adoption";

describe("logical names of adopted objects", () => {
  it("are the display name's words, lowercase and without accents, joined by dashes; a name with no letters or digits takes the fallback", () => {
    expect(logicalName("Weekly digest", "template")).toBe("weekly-digest");
    expect(logicalName("  VIPs (> $100) ", "segment")).toBe("vips-100");
    expect(logicalName("Ünïcode fans", "segment")).toBe("unicode-fans");
    expect(logicalName("***", "segment")).toBe("segment");
  });
});

describe("the import file of what an app holds", () => {
  const APP = "8f1c3a2e-0000-4000-8000-000000000001";
  const file = importFileFrom([
    {
      id: APP,
      name: "VIPs",
      keys: [{ tokenId: "k1", name: "server" }],
      segments: [
        { id: "s1", name: "VIPs" },
        { id: "s2", name: "vips!" },
        { id: "s3", name: "Locked", readOnly: true },
        { id: "s4", name: "active  users" },
      ],
      templates: [{ id: "t1", name: "VIPs" }],
    },
  ]);

  it("lists the app, its segments and templates with names no two share, and each with its import id", () => {
    expect(file.resources).toEqual([
      { type: "onesignal:index:App", name: "vips", id: APP },
      { type: "onesignal:index:Segment", name: "vips-2", id: `${APP}/s1` },
      { type: "onesignal:index:Segment", name: "vips-3", id: `${APP}/s2` },
      { type: "onesignal:index:Template", name: "vips-4", id: `${APP}/t1` },
    ]);
  });

  it("skips keys, read-only segments and segments named like a built-in one, saying why", () => {
    expect(file.skipped.map(({ type, name, id }) => ({ type, name, id }))).toEqual([
      { type: "onesignal:index:ApiKey", name: "server", id: `${APP}/k1` },
      { type: "onesignal:index:Segment", name: "Locked", id: `${APP}/s3` },
      { type: "onesignal:index:Segment", name: "active  users", id: `${APP}/s4` },
    ]);
    expect(file.skipped[0]?.reason).toMatch(/shows a key's secret only when it is made or rotated/);
    expect(file.skipped[1]?.reason).toBe("OneSignal does not let it change");
    expect(file.skipped[2]?.reason).toMatch(/OneSignal makes "Active Users" for every app/);
  });
});
