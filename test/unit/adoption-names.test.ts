import { describe, expect, it } from "vitest";
import { logicalName } from "../../provider/functions/adoption";

describe("logical names of adopted objects", () => {
  it("are the display name's words, lowercase and without accents, joined by dashes; a name with no letters or digits takes the fallback", () => {
    expect(logicalName("Weekly digest", "template")).toBe("weekly-digest");
    expect(logicalName("  VIPs (> $100) ", "segment")).toBe("vips-100");
    expect(logicalName("Ünïcode fans", "segment")).toBe("unicode-fans");
    expect(logicalName("***", "segment")).toBe("segment");
  });
});
