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
