import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ApiKeyProvider } from "../../provider/resources/api-key";
import { AppProvider } from "../../provider/resources/app";
import { TemplateProvider } from "../../provider/resources/template";
import { useEmulator } from "../support/use-emulator";

// Each provider's create is called as the dynamic-provider host calls it, against the emulator, with the
// answer of its create lost in the ways OneSignal can lose it.

const { emulator } = useEmulator({ resetEach: true });

function configured<T extends { configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> }>(
  provider: T,
  extra: Record<string, string> = {},
): T {
  const values: Record<string, string> = {
    "onesignal:apiUrl": emulator.url,
    "onesignal:organizationApiKey": emulator.organizationApiKey,
    ...extra,
  };
  void provider.configure({ config: { get: (key: string) => values[key] } as unknown as pulumi.dynamic.Config });
  return provider;
}

async function apps(): Promise<{ id: string; name: string }[]> {
  return (await emulator.api<{ id: string; name: string }[]>("GET", "/apps", emulator.organizationApiKey)).body;
}

/** How a create can lose its answer: dropped after the write, or a 5xx after the write. */
const LOST = [
  ["the connection drops after the write", { afterCommit: true }],
  ["OneSignal answers 503 after the write", { afterCommit: true, status: 503 }],
] as const;

describe("App create", () => {
  for (const [how, fault] of LOST) {
    it(`adopts the app its request made when ${how}: one POST, one app`, async () => {
      await emulator.fault({ method: "POST", path: "/apps", times: 1, ...fault });
      const provider = configured(new AppProvider());
      let result: Awaited<ReturnType<AppProvider["create"]>> | undefined;
      const requests = await emulator.requestsDuring(async () => {
        result = await provider.create({ name: "shop", chromeWebOrigin: "https://shop.example" });
      });
      const all = await apps();
      expect(all).toHaveLength(1);
      expect(result?.id).toBe(all[0]?.id);
      expect(result?.outs).toMatchObject({ name: "shop", chromeWebOrigin: "https://shop.example" });
      expect(requests.filter((request) => request.startsWith("POST"))).toEqual(["POST /apps"]);
    });
  }

  it("says nothing was made when a 503 came before any write, and sends no second POST", async () => {
    await emulator.fault({ method: "POST", path: "/apps", times: 1, status: 503 });
    const provider = configured(new AppProvider());
    const requests = await emulator.requestsDuring(async () => {
      await expect(provider.create({ name: "shop" })).rejects.toThrow(
        /^Creating the app "shop" failed \(OneSignal answered 503 to POST \/apps: .+\), and OneSignal has no app of that name made since: nothing was created\. Run the deployment again\.$/,
      );
    });
    expect(requests).toEqual(["POST /apps", "GET /apps"]);
    expect(await apps()).toEqual([]);
  });

  it("refuses to guess between two apps of the same name made meanwhile, naming both and adoptExistingId", async () => {
    const other = await emulator.api<{ id: string }>("POST", "/apps", emulator.organizationApiKey, { name: "shop" });
    await emulator.fault({ method: "POST", path: "/apps", times: 1, afterCommit: true });
    const provider = configured(new AppProvider());
    const error = (await provider.create({ name: "shop" }).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(`2 apps of that name were made since: ${other.body.id}, `);
    expect(error.message).toContain("Set adoptExistingId to the one to keep");
    expect(await apps()).toHaveLength(2);
  });

  it("does not take an older app of the same name for the lost one", async () => {
    const old = await emulator.api<{ id: string }>("POST", "/apps", emulator.organizationApiKey, { name: "shop" });
    // Three minutes later, beyond any clock skew, the create's answer is lost.
    await fetch(`${emulator.url}/_emulator/clock`, { method: "POST", body: JSON.stringify({ advanceMs: 180_000 }) });
    await emulator.fault({ method: "POST", path: "/apps", times: 1, afterCommit: true });
    const provider = configured(new AppProvider());
    const result = await provider.create({ name: "shop" });
    expect(result.id).not.toBe(old.body.id);
  });
});

describe("ApiKey create", () => {
  for (const [how, fault] of LOST) {
    it(`adopts the key its request made when ${how}, and rotates it so that its secret is known`, async () => {
      const app = await emulator.api<{ id: string }>("POST", "/apps", emulator.organizationApiKey, { name: "shop" });
      const tokens = `/apps/${app.body.id}/auth/tokens`;
      await emulator.fault({ method: "POST", path: tokens, times: 1, ...fault });
      const provider = configured(new ApiKeyProvider());
      let result: Awaited<ReturnType<ApiKeyProvider["create"]>> | undefined;
      const requests = await emulator.requestsDuring(async () => {
        result = await provider.create({
          appId: app.body.id,
          name: "server",
          ipAllowlistMode: "disabled",
          ipAllowlist: [],
        });
      });
      expect(result?.outs).toMatchObject({ name: "server", ipAllowlistMode: "disabled", ipAllowlist: [] });
      // The secret in the outputs is the live one.
      expect((await emulator.api("GET", `/apps/${app.body.id}`, result?.outs?.token as string)).status).toBe(200);
      const listed = await emulator.api<{ tokens: { token_id: string }[] }>("GET", tokens, emulator.organizationApiKey);
      expect(listed.body.tokens).toHaveLength(1);
      expect(requests).toEqual([
        `POST ${tokens}`,
        `GET ${tokens}`,
        `POST ${tokens}/${listed.body.tokens[0]?.token_id}/rotate`,
      ]);
    });
  }
});

describe("Template create", () => {
  for (const [how, fault] of LOST) {
    it(`adopts the template its request made when ${how}: one POST, one template`, async () => {
      const app = await emulator.api<{ id: string }>("POST", "/apps", emulator.organizationApiKey, { name: "shop" });
      const key = await emulator.api<{ formatted_token: string }>(
        "POST",
        `/apps/${app.body.id}/auth/tokens`,
        emulator.organizationApiKey,
        { name: "k" },
      );
      await emulator.fault({ method: "POST", path: "/templates", times: 1, ...fault });
      const provider = configured(new TemplateProvider(), { "onesignal:appApiKey": key.body.formatted_token });
      const result = await provider.create({
        appId: app.body.id,
        name: "Welcome",
        channel: "push",
        contents: { en: "Hi" },
      });
      const listed = await emulator.api<{ templates: { id: string }[] }>(
        "GET",
        `/templates?app_id=${app.body.id}`,
        key.body.formatted_token,
      );
      expect(listed.body.templates.map((template) => template.id)).toEqual([result.id]);
    });
  }
});
