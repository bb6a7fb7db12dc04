import { describe, expect, it } from "vitest";
import { ApiKeyProvider, checkApiKey } from "../../provider/resources/api-key";
import { UNKNOWN } from "../../provider/resources/values";

describe("checkApiKey", () => {
  it("accepts a key with an allowlist", () => {
    expect(
      checkApiKey({}, { appId: "a", name: "n", ipAllowlistMode: "explicit", ipAllowlist: ["10.0.0.0/8", "::1"] }),
    ).toEqual([]);
  });

  it("refuses a misspelled property, naming the one meant, instead of dropping it", () => {
    const news = { appId: "a", name: "n", ipAllowlistMode: "explicit", ipAllowList: ["10.0.0.0/8"] };
    expect(checkApiKey({}, news as never)).toContainEqual({
      property: "ipAllowList",
      reason: '"ipAllowList" is not a property of ApiKey; did you mean "ipAllowlist"?',
    });
    // The engine's own input is no user property.
    expect(checkApiKey({}, { appId: "a", name: "n", __provider: "code" } as never)).toEqual([]);
  });

  it("names the property and the reason", () => {
    expect(checkApiKey({}, { name: "n" })).toEqual([{ property: "appId", reason: "appId is required" }]);
    expect(checkApiKey({}, { appId: "a", name: "n", ipAllowlist: ["10.0.0.0/33"] })).toEqual([
      {
        property: "ipAllowlist",
        reason: 'ipAllowlist[0] must be a CIDR block such as 203.0.113.0/24, not "10.0.0.0/33"',
      },
    ]);
    expect(checkApiKey({}, { appId: "a", name: "n", ipAllowlistMode: "explicit", ipAllowlist: [] })[0]?.property).toBe(
      "ipAllowlist",
    );
    expect(checkApiKey({}, { appId: "a", name: "n", ipAllowlistMode: "open" as never })[0]?.property).toBe(
      "ipAllowlistMode",
    );
  });

  it("tolerates the preview placeholder", () => {
    expect(
      checkApiKey({}, { appId: UNKNOWN, name: UNKNOWN, ipAllowlist: UNKNOWN as never, rotation: UNKNOWN }),
    ).toEqual([]);
  });
});

describe("ApiKey check and diff", () => {
  const provider = new ApiKeyProvider();

  it("makes OneSignal's defaults explicit so an unchanged key diffs as unchanged", async () => {
    const { inputs } = await provider.check({} as never, { appId: "a", name: "n" });
    expect(inputs).toEqual({ appId: "a", name: "n", ipAllowlistMode: "disabled", ipAllowlist: [] });
    const outputs = { ...inputs, tokenId: "t", token: "secret" } as never;
    expect((await provider.diff("t", outputs, inputs as never)).changes).toBe(false);
  });

  it("replaces on a new appId, updates in place otherwise", async () => {
    const olds = {
      appId: "a",
      name: "n",
      ipAllowlistMode: "disabled",
      ipAllowlist: [],
      tokenId: "t",
      token: "s",
    } as const;
    expect(await provider.diff("t", { ...olds, ipAllowlist: [] }, { ...olds, ipAllowlist: [], appId: "b" })).toEqual({
      changes: true,
      replaces: ["appId"],
      deleteBeforeReplace: false,
    });
    expect(await provider.diff("t", { ...olds, ipAllowlist: [] }, { ...olds, ipAllowlist: [], rotation: "2" })).toEqual(
      {
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      },
    );
  });
});
