// A test program: the Apps listed in the `test:apps` config object, by logical name, and the ApiKeys
// in `test:keys`, each naming its app by logical name.
import * as pulumi from "@pulumi/pulumi";
import { ApiKey, type ApiKeyArgs, App, type AppArgs, listApps } from "pulumi-onesignal";

const config = new pulumi.Config("test");
const appArgs = config.requireObject<Record<string, AppArgs>>("apps");
const keyArgs = config.getObject<Record<string, Omit<ApiKeyArgs, "appId"> & { app: string }>>("keys") ?? {};

const apps = Object.fromEntries(Object.entries(appArgs).map(([name, args]) => [name, new App(name, args)]));
const keys = Object.entries(keyArgs).map(([name, { app, ...args }]) => {
  const owner = apps[app];
  if (!owner) throw new Error(`key ${name} names an unknown app ${app}`);
  return [name, new ApiKey(name, { ...args, appId: owner.id })] as const;
});

export const ids = Object.fromEntries(Object.entries(apps).map(([name, app]) => [name, app.id]));
export const keyIds = Object.fromEntries(keys.map(([name, key]) => [name, key.tokenId]));

// With `test:lookup`, a function runs inside the program: it must find the API URL and the key in the
// stack config alone, as `pulumi.Config` does, whether the program runs inline or under a language host.
export const appsSeenByProgram = config.getBoolean("lookup")
  ? pulumi
      .all(Object.values(apps).map((app) => app.id))
      .apply(async (ids) => (await listApps()).filter((app) => ids.includes(app.id)).length)
  : undefined;
