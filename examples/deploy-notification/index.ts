// Deploy hooks: after the welcome template or the app changes, the testers get a push saying so,
// exactly once per change. The same from a pipeline step is in the README ("Deploy notifications").
//
//   pulumi config set --secret onesignal:organizationApiKey <key>
//   pulumi up
import * as pulumi from "@pulumi/pulumi";
import { ApiKey, App, afterCreateOrUpdate, filter, notificationHook, Segment, Template } from "pulumi-onesignal";

const config = new pulumi.Config("deploy");
const stack = pulumi.getStack();

const app = new App("app", {
  name: config.get("appName") ?? `deploy-demo-${stack}`,
  chromeWebOrigin: config.get("siteUrl") ?? "https://example.com",
});
const key = new ApiKey("release-notifier", { appId: app.id, name: "release-notifier" });

const testers = new Segment("testers", {
  appId: app.id,
  apiKey: key.token,
  name: "Testers",
  description: "Everyone who gets release notes",
  filters: [filter.tag("tester").is("true")],
});

// The notification is computed from the hook's arguments: which resource changed, and how.
const notifyTesters = notificationHook(
  "notify-testers",
  async (args) => ({
    appId: String(args.newOutputs?.appId ?? ""),
    includedSegments: ["Testers"],
    headings: { en: `${stack}: ${args.name} ${args.oldOutputs ? "updated" : "created"}` },
    contents: { en: `${args.type.split(":").pop()} "${args.name}" was deployed to ${stack}.` },
    data: { urn: args.urn, stack },
  }),
  { apiKey: key.token },
);

const welcome = new Template(
  "welcome",
  {
    appId: app.id,
    apiKey: key.token,
    name: "Welcome",
    channel: "push",
    contents: { en: config.get("welcomeText") ?? "Welcome aboard!" },
  },
  { hooks: afterCreateOrUpdate(notifyTesters), dependsOn: [testers] },
);

export const appId = app.id;
export const testersSegmentId = testers.id;
export const welcomeTemplateId = welcome.id;
