import type { TestEmulator } from "./emulator";

/** An app and one of its API keys, made through the emulator's API. */
export async function createAppWithKey(
  emulator: TestEmulator,
  name = "app",
): Promise<{ appId: string; appKey: string; tokenId: string }> {
  const app = await emulator.api<{ id: string }>("POST", "/apps", emulator.organizationApiKey, { name });
  const key = await emulator.api<{ token_id: string; formatted_token: string }>(
    "POST",
    `/apps/${app.body.id}/auth/tokens`,
    emulator.organizationApiKey,
    { name: "test" },
  );
  return { appId: app.body.id, appKey: key.body.formatted_token, tokenId: key.body.token_id };
}

/** Adds an Android device (a subscribed one unless `fields` say otherwise) through `/players`; resolves to its id. */
export async function addAndroidDevice(
  emulator: TestEmulator,
  app: { appId: string; appKey: string },
  fields: Record<string, unknown> = {},
): Promise<string> {
  const added = await emulator.api<{ id: string }>("POST", "/players", app.appKey, {
    app_id: app.appId,
    device_type: 1,
    identifier: `token-${Math.random().toString(36).slice(2)}`,
    ...fields,
  });
  if (added.status !== 200) throw new Error(`POST /players answered ${added.status}: ${JSON.stringify(added.body)}`);
  return added.body.id;
}
