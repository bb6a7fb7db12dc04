import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { SegmentFilter } from "../../provider/models/segment";
import { ApiKeyProvider } from "../../provider/resources/api-key";
import { AppProvider } from "../../provider/resources/app";
import { SegmentProvider } from "../../provider/resources/segment";
import { TemplateProvider } from "../../provider/resources/template";
import { createAppWithKey } from "../support/fixtures";
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

/** The error a create was refused with; fails the test if it was not refused. */
async function refusal(created: Promise<unknown>): Promise<Error> {
  return created.then(
    () => {
      throw new Error("expected the create to be refused");
    },
    (error: unknown) => error as Error,
  );
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

  it("calls a 503 before any write an unknown outcome, never 'nothing was created', and sends no second POST", async () => {
    await emulator.fault({ method: "POST", path: "/apps", times: 1, status: 503 });
    const provider = configured(new AppProvider());
    let error: Error | undefined;
    const requests = await emulator.requestsDuring(async () => {
      error = await refusal(provider.create({ name: "shop" }));
    });
    expect(error?.message).toMatch(
      /^Creating the app "shop" got no clear answer \(OneSignal answered 503 to POST \/apps: .+; OneSignal shows no app of that name yet\): the outcome is unknown, the app may exist or appear shortly\. Run the deployment again: it looks for an app of that name before creating one/,
    );
    expect(error?.message).not.toContain("nothing was created");
    expect(requests).toEqual(["GET /apps", "POST /apps", "GET /apps"]);
    expect(await apps()).toEqual([]);
  });

  it("calls the outcome unknown when the look-up for what it made fails too", async () => {
    await emulator.fault({ method: "POST", path: "/apps", times: 1, delayMs: 300, afterCommit: true });
    const provider = configured(new AppProvider(), { "onesignal:deadlineMs": "3000" });
    const creating = refusal(provider.create({ name: "shop" }));
    // The look-up before the create went through (the POST is held now); every later one fails.
    await emulator.waitForFaults();
    await emulator.fault({ method: "GET", path: "/apps", times: 50, status: 503, delayMs: 50 });
    const error = await creating;
    expect(error.message).toContain('Creating the app "shop" got no clear answer');
    expect(error.message).toContain("looking for what it made failed too: ");
    expect(error.message).toContain("the outcome is unknown");
    expect(error.message).not.toContain("nothing was created");
    // It was made: the next deployment's look-up finds it and stops, naming it.
    await emulator.clearFaults();
    const [made] = await apps();
    const again = await refusal(provider.create({ name: "shop" }));
    expect(again.message).toContain(`An app named "shop" already exists in OneSignal (${made?.id}, made `);
    expect(await apps()).toHaveLength(1);
  });

  it("refuses to guess between two apps of the same name made meanwhile, naming both and adoptExistingId", async () => {
    // The create is held, another app of its name is made meanwhile, then the create lands and its answer is lost.
    await emulator.fault({ method: "POST", path: "/apps", times: 1, delayMs: 1500, afterCommit: true });
    const provider = configured(new AppProvider());
    const creating = refusal(provider.create({ name: "shop" }));
    await emulator.waitForFaults();
    const other = await emulator.api<{ id: string }>("POST", "/apps", emulator.organizationApiKey, { name: "shop" });
    const error = await creating;
    expect(error.message).toContain("2 apps of that name were made since: ");
    expect(error.message).toContain(other.body.id);
    expect(error.message).toContain("Set adoptExistingId to the one to keep");
    expect(await apps()).toHaveLength(2);
  });

  it("refuses, before any POST, an app whose name an app it does not manage has, naming it and how to adopt it", async () => {
    const old = await emulator.api<{ id: string }>("POST", "/apps", emulator.organizationApiKey, { name: "shop" });
    const provider = configured(new AppProvider());
    let error: Error | undefined;
    const requests = await emulator.requestsDuring(async () => {
      error = await refusal(provider.create({ name: "shop" }));
    });
    expect(requests).toEqual(["GET /apps"]);
    expect(error?.name).toBe("OneSignalAlreadyExistsError");
    expect(error?.message).toContain(`An app named "shop" already exists in OneSignal (${old.body.id}, made `);
    expect(error?.message).toContain("nothing was created");
    expect(error?.message).toContain("run `npx pulumi-onesignal recover` in the project after a killed run");
    expect(error?.message).toContain(`set adoptExistingId: "${old.body.id}" on this App`);
    expect(await apps()).toHaveLength(1);
    // Another name is no obstacle.
    expect((await provider.create({ name: "shop 2" })).id).not.toBe(old.body.id);
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
        `GET ${tokens}`,
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
      const { appId, appKey } = await createAppWithKey(emulator, "shop");
      await emulator.fault({ method: "POST", path: "/templates", times: 1, ...fault });
      const provider = configured(new TemplateProvider(), { "onesignal:appApiKey": appKey });
      const result = await provider.create({
        appId,
        name: "Welcome",
        channel: "push",
        contents: { en: "Hi" },
      });
      const listed = await emulator.api<{ templates: { id: string }[] }>("GET", `/templates?app_id=${appId}`, appKey);
      expect(listed.body.templates.map((template) => template.id)).toEqual([result.id]);
    });
  }
});

describe("a name taken by an object the stack does not manage", () => {
  async function appWithKey(): Promise<{ appId: string; key: string }> {
    const { appId, appKey } = await createAppWithKey(emulator, "shop");
    return { appId, key: appKey };
  }

  it("ApiKey: refused before any POST, saying its secret cannot be adopted", async () => {
    const { appId } = await appWithKey();
    const provider = configured(new ApiKeyProvider());
    let error: Error | undefined;
    const requests = await emulator.requestsDuring(async () => {
      error = await refusal(provider.create({ appId, name: "test" }));
    });
    expect(requests).toEqual([`GET /apps/${appId}/auth/tokens`]);
    expect(error?.message).toContain('An API key named "test" already exists in OneSignal');
    expect(error?.message).toContain("since its secret was shown only to the request that made it");
  });

  it("Template: refused on the same channel, made on another", async () => {
    const { appId, key } = await appWithKey();
    const provider = configured(new TemplateProvider(), { "onesignal:appApiKey": key });
    const first = await provider.create({ appId, name: "Welcome", channel: "push", contents: { en: "Hi" } });
    const error = await refusal(
      provider.create({ appId, name: "Welcome", channel: "push", contents: { en: "Hi again" } }),
    );
    expect(error.message).toContain(`A template named "Welcome" already exists in OneSignal (${first.id}, made `);
    expect(error.message).toContain(`set adoptExistingId: "${first.id}" on this Template`);
    // A replacement on a new channel makes its template while the old one, of the same name, still exists.
    const sms = await provider.create({ appId, name: "Welcome", channel: "sms", contents: { en: "Hi" } });
    expect(sms.id).not.toBe(first.id);
  });

  it("Segment: OneSignal's 409 on the name becomes the segment to adopt, named", async () => {
    const { appId, key } = await appWithKey();
    const provider = configured(new SegmentProvider(), { "onesignal:appApiKey": key });
    const filters: SegmentFilter[] = [{ field: "sessionCount", relation: ">", value: 1 }];
    const first = await provider.create({ appId, name: "Active", filters });
    const error = await refusal(provider.create({ appId, name: "Active", filters }));
    expect(error.name).toBe("OneSignalAlreadyExistsError");
    expect(error.message).toContain(`A segment named "Active" already exists in OneSignal (${first.id}`);
    expect(error.message).toContain(`set adoptExistingId: "${first.id}" on this Segment`);
  });

  it("Segment: a create with no answer and nothing found is an unknown outcome", async () => {
    const { appId, key } = await appWithKey();
    await emulator.fault({ method: "POST", path: `/apps/${appId}/segments`, times: 1, status: 503 });
    const provider = configured(new SegmentProvider(), { "onesignal:appApiKey": key });
    const filters: SegmentFilter[] = [{ field: "sessionCount", relation: ">", value: 1 }];
    const error = await refusal(provider.create({ appId, name: "Active", filters }));
    expect(error.message).toContain('Creating the segment "Active" got no clear answer');
    expect(error.message).toContain("OneSignal shows no segment with the id it was given");
    expect(error.message).toContain("the outcome is unknown");
  });
});
