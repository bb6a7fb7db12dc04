import { describe, expect, it } from "vitest";
import { OneSignalApiError, OneSignalConnectionError, outcomeUnknown } from "../../provider/client/errors";
import { MARGIN_MS, madeByRequest } from "../../provider/resources/create-once";

const at = (ms: number) => new Date(ms).toISOString();

describe("madeByRequest", () => {
  const startedAt = 1_000_000_000_000;
  const listedAt = startedAt + 5_000;

  it("places the request's window on OneSignal's clock, so a skewed local clock changes nothing", () => {
    // OneSignal's clock runs ten minutes ahead of this machine's.
    const serverDate = listedAt + 600_000;
    const ours = { id: "ours", name: "shop", createdAt: at(serverDate - 3_000) };
    const older = { id: "older", name: "shop", createdAt: at(serverDate - 3_000 - 5 * 60_000) };
    expect(madeByRequest([older, ours], "shop", { startedAt, listedAt, serverDate })).toEqual([ours]);
  });

  it("takes only the declared name, and Unix seconds as well as ISO text", () => {
    const serverDate = listedAt;
    const candidates = [
      { id: "a", name: "shop", createdAt: Math.floor((serverDate - 2_000) / 1000) },
      { id: "b", name: "other", createdAt: at(serverDate - 2_000) },
      { id: "c", name: "shop" },
    ];
    expect(madeByRequest(candidates, "shop", { startedAt, listedAt, serverDate }).map((c) => c.id)).toEqual(["a"]);
  });

  it("allows the margin on both sides and nothing beyond it", () => {
    const serverDate = listedAt;
    const inside = { id: "in", name: "shop", createdAt: at(startedAt - MARGIN_MS + 1_000) };
    const outside = { id: "out", name: "shop", createdAt: at(startedAt - MARGIN_MS - 1_000) };
    expect(madeByRequest([inside, outside], "shop", { startedAt, listedAt, serverDate })).toEqual([inside]);
  });
});

describe("outcomeUnknown", () => {
  it("is true where the create may have been carried out, false where it cannot have been", () => {
    expect(outcomeUnknown(new OneSignalConnectionError("ECONNRESET", "POST", "/apps", "socket hang up"))).toBe(true);
    expect(outcomeUnknown(new OneSignalConnectionError("ETIMEDOUT", "POST", "/apps", "timeout"))).toBe(true);
    expect(outcomeUnknown(new OneSignalConnectionError("ECONNREFUSED", "POST", "/apps", "refused"))).toBe(false);
    expect(outcomeUnknown(new OneSignalApiError(503, [], "POST", "/apps", {}))).toBe(true);
    expect(outcomeUnknown(new OneSignalApiError(400, ["bad"], "POST", "/apps", {}))).toBe(false);
    expect(outcomeUnknown(new Error("anything else"))).toBe(false);
  });
});
