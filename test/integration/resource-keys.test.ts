import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, vi } from "vitest";
import { SegmentProvider } from "../../provider/resources/segment";
import { TemplateProvider } from "../../provider/resources/template";
import { createAppWithKey } from "../support/fixtures";
import { useEmulator } from "../support/use-emulator";

// After a rotation whose `up` failed, state holds a dead key; the configured key must still serve
// refresh, update and destroy, and the user is told which key worked.

const { emulator } = useEmulator();

function provider<T extends { configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> }>(
  made: T,
  appApiKey?: string,
): T {
  const values: Record<string, string | undefined> = {
    "onesignal:apiUrl": emulator.url,
    "onesignal:appApiKey": appApiKey,
  };
  void made.configure({ config: { get: (key: string) => values[key] } as unknown as pulumi.dynamic.Config });
  return made;
}

async function rotated(appId: string, tokenId: string): Promise<string> {
  const answer = await emulator.api<{ formatted_token: string }>(
    "POST",
    `/apps/${appId}/auth/tokens/${tokenId}/rotate`,
    emulator.organizationApiKey,
  );
  return answer.body.formatted_token;
}

describe("a Segment or Template whose stored key was rotated away", () => {
  it("reads, updates and deletes with the configured key, once, and says so", async () => {
    const { appId, appKey, tokenId } = await createAppWithKey(emulator);
    const filters = [{ field: "language" as const, relation: "=" as const, value: "fr" }];
    const created = await provider(new SegmentProvider()).create({ appId, apiKey: appKey, name: "French", filters });
    const template = await provider(new TemplateProvider()).create({
      appId,
      apiKey: appKey,
      name: "Welcome",
      channel: "push",
      contents: { en: "Hi" },
    });
    const fresh = await rotated(appId, tokenId);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const segments = provider(new SegmentProvider(), fresh);
      const read = await segments.read(created.id, { appId, apiKey: appKey, name: "French", filters });
      expect(read.props?.name).toBe("French");
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining(`segment ${created.id}: OneSignal refused the app API key`),
      );
      await segments.update(
        created.id,
        { appId, apiKey: appKey, name: "French", filters },
        {
          appId,
          apiKey: appKey,
          name: "Français",
          filters,
        },
      );
      await segments.delete(created.id, { appId, apiKey: appKey, name: "Français", filters });
      const gone = await emulator.api("GET", `/apps/${appId}/segments/${created.id}`, fresh);
      expect(gone.status).toBe(404);

      const templates = provider(new TemplateProvider(), fresh);
      await templates.delete(template.id, { appId, apiKey: appKey, name: "Welcome", channel: "push" });
      expect((await emulator.api("GET", `/templates/${template.id}?app_id=${appId}`, fresh)).status).toBe(404);
      for (const [message] of warn.mock.calls) expect(String(message)).not.toContain(fresh);
    } finally {
      warn.mockRestore();
    }
  });

  it("without another key configured, fails with OneSignal's 403 as before", async () => {
    const { appId, appKey, tokenId } = await createAppWithKey(emulator);
    const filters = [{ field: "language" as const, relation: "=" as const, value: "fr" }];
    const created = await provider(new SegmentProvider()).create({ appId, apiKey: appKey, name: "French", filters });
    await rotated(appId, tokenId);
    await expect(
      provider(new SegmentProvider()).read(created.id, { appId, apiKey: appKey, name: "French", filters }),
    ).rejects.toThrow(/OneSignal answered 403/);
  });
});
