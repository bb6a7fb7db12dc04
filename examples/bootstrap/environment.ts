// One declaration of a whole OneSignal environment: its app, a server API key, its segments and its
// templates. Every environment (a branch, a preview, a tenant) gets the same, under its own name.
import { ApiKey, App, filter, Segment, type SegmentArgs, Template, type TemplateArgs } from "pulumi-onesignal";

/** What may differ between environments. */
export interface EnvironmentOptions {
  /** The site the app sends web push for. */
  siteUrl: string;
}

// Distributive, so that a union such as TemplateArgs stays a union of its channels.
type Owned<T> = T extends unknown ? Omit<T, "appId" | "apiKey"> : never;

/** The segments every environment has, by resource name. */
export const SEGMENTS: Record<string, Owned<SegmentArgs>> = {
  testers: { name: "Testers", description: "QA devices and staff", filters: [filter.tag("tester").is("true")] },
  active: { name: "Active users", filters: [filter.lastSession.lessThanHoursAgo(72)] },
};

/** The templates every environment has, by resource name. */
export const TEMPLATES: Record<string, Owned<TemplateArgs>> = {
  welcome: {
    name: "Welcome",
    channel: "push",
    headings: { en: "Welcome" },
    contents: { en: "Thanks for subscribing!" },
  },
  "order-shipped": {
    name: "Order shipped",
    channel: "push",
    contents: { en: "Your order {{ order_id }} is on its way." },
  },
};

/** The Pulumi program of the environment `name`: what a service needs comes back as outputs. */
export function environmentProgram(name: string, options: EnvironmentOptions) {
  return async () => {
    const app = new App("app", { name: `shop-${name}`, chromeWebOrigin: options.siteUrl, siteName: `Shop (${name})` });
    const key = new ApiKey("server-key", { appId: app.id, name: `server-${name}` });
    const owned = { appId: app.id, apiKey: key.token };
    const segments = Object.entries(SEGMENTS).map(([id, args]) => new Segment(id, { ...args, ...owned }));
    const templates = Object.entries(TEMPLATES).map(([id, args]) => new Template(id, { ...args, ...owned }));
    return {
      appId: app.id,
      apiKey: key.token,
      segmentIds: segments.map((segment) => segment.id),
      templateIds: templates.map((template) => template.id),
    };
  };
}
