import type { TestEmulator } from "./emulator";

/** An app and one of its API keys: the app's id, the key's secret and the key's id. */
export interface AppWithKey {
  appId: string;
  appKey: string;
  tokenId: string;
}

/** An app and one of its API keys, made through the emulator's API. */
export async function createAppWithKey(emulator: TestEmulator, name = "app"): Promise<AppWithKey> {
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

/** The organization's apps as `[name, chrome_web_origin]` pairs, in the order the emulator lists them. */
export async function appOrigins(emulator: TestEmulator): Promise<[string, string][]> {
  const apps = await emulator.api<{ name: string; chrome_web_origin: string }[]>(
    "GET",
    "/apps",
    emulator.organizationApiKey,
  );
  return apps.body.map((app) => [app.name, app.chrome_web_origin]);
}
