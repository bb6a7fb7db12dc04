// A test program: apps (`test:apps`, names) each with an API key, and the segments and templates of
// `test:segments` and `test:templates`, each naming its app (default: the first) and using that app's key.
import * as pulumi from "@pulumi/pulumi";
import { ApiKey, App, Segment, type SegmentArgs, Template, type TemplateArgs } from "pulumi-onesignal";

// Distributive, so that a union such as TemplateArgs stays a union of its channels.
type Owned<T> = T extends unknown ? Omit<T, "appId" | "apiKey"> & { app?: string } : never;

const config = new pulumi.Config("test");
const appNames = config.getObject<string[]>("apps") ?? ["main"];
const segmentArgs = config.getObject<Record<string, Owned<SegmentArgs>>>("segments") ?? {};
const templateArgs = config.getObject<Record<string, Owned<TemplateArgs>>>("templates") ?? {};

const apps = new Map(
  appNames.map((name) => {
    const app = new App(name, { name });
    const key = new ApiKey(`${name}-key`, { appId: app.id, rotation: config.get("keyRotation") ?? "1" });
    return [name, { app, key }] as const;
  }),
);

function owner(app: string | undefined) {
  const found = apps.get(app ?? (appNames[0] as string));
  if (!found) throw new Error(`unknown app ${app}`);
  return { appId: found.app.id, apiKey: found.key.token };
}

const segments = Object.entries(segmentArgs).map(
  ([name, { app, ...args }]) => [name, new Segment(name, { ...args, ...owner(app) })] as const,
);
const templates = Object.entries(templateArgs).map(
  ([name, { app, ...args }]) => [name, new Template(name, { ...args, ...owner(app) })] as const,
);

export const appIds = Object.fromEntries([...apps].map(([name, { app }]) => [name, app.id]));
export const segmentIds = Object.fromEntries(segments.map(([name, segment]) => [name, segment.id]));
export const templateIds = Object.fromEntries(templates.map(([name, template]) => [name, template.id]));
