import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { ApiKey } from "../../provider/resources/api-key";
import { Segment } from "../../provider/resources/segment";
import { Template } from "../../provider/resources/template";

/** The inputs each resource registered with the (mock) engine, by name. */
const registered = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.set(args.name, args.inputs as Record<string, unknown>);
        // What the provider computes: a template's creation time, a key's id.
        const computed = { welcome: { createdAt: 1_700_000_000 }, server: { tokenId: "token-1" } }[args.name];
        const state = { ...args.inputs, ...computed };
        return { id: `${args.name}-id`, state };
      },
      call: (args) => args.inputs,
    },
    "outputs",
    "dev",
    false,
  );
});

function resolved<T>(output: pulumi.Output<T> | undefined): Promise<T | undefined> {
  if (output === undefined) throw new Error("no such output");
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

describe("resource outputs under the engine's mocks", () => {
  const appId = "4b8e1a1e-0c52-4f4f-9b0e-3d1b1c1d1e1f";

  it("a Template registers what the program gave (and createdAt); every left-out content field is an undefined Output", async () => {
    const template = new Template("welcome", { appId, name: "Welcome", channel: "push", contents: { en: "Hi" } });
    expect(await resolved(template.contents)).toEqual({ en: "Hi" });
    expect(await resolved(template.createdAt)).toBe(1_700_000_000);
    expect(await resolved(template.subtitle)).toBeUndefined();
    expect(await resolved(template.emailSubject)).toBeUndefined();
    expect(await resolved(template.adoptExistingId)).toBeUndefined();
    const inputs = registered.get("welcome") ?? {};
    expect(Object.keys(inputs).sort()).toEqual(["__provider", "appId", "channel", "contents", "name"]);
  });

  it("a Segment's description is what the program gave, or undefined", async () => {
    const described = new Segment("vip", { appId, name: "VIP", description: "big spenders", filters: [] });
    const plain = new Segment("all", { appId, name: "All", filters: [] });
    expect(await resolved(described.description)).toBe("big spenders");
    expect(await resolved(plain.description)).toBeUndefined();
    expect(await resolved(plain.name)).toBe("All");
  });

  it("an ApiKey still registers the outputs OneSignal computes, and the provider is the thin one", async () => {
    const key = new ApiKey("server", { appId });
    expect(await resolved(key.name)).toBe("server");
    expect(await resolved(key.tokenId)).toBe("token-1");
    const inputs = registered.get("server") ?? {};
    expect(String(inputs.__provider)).toContain('"pulumi-onesignal/dist/provider/resources/api-key.js"');
    expect(String(inputs.__provider).length).toBeLessThanOrEqual(4096);
  });
});
