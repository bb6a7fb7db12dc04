// One program for every environment: dev, staging and production each get their own app, API key,
// segments and templates. The stacks differ only in their config (Pulumi.<stack>.yaml).
//
//   pulumi stack select staging
//   pulumi config set --secret onesignal:organizationApiKey <key>   # once per stack
//   pulumi up
import * as pulumi from "@pulumi/pulumi";
import { ApiKey, App, filter, Segment, Template } from "pulumi-onesignal";

const config = new pulumi.Config("audiences");
const environment = pulumi.getStack();
const siteUrl = config.require("siteUrl");

const app = new App("app", {
  name: config.get("appName") ?? `shop-${environment}`,
  chromeWebOrigin: siteUrl,
  siteName: config.get("siteName") ?? "Shop",
});

// The key the deployed backend sends notifications with; in production it works only from the backend's addresses.
const key = new ApiKey("backend-key", {
  appId: app.id,
  name: `backend-${environment}`,
  ...(config.getObject<string[]>("backendCidrs")
    ? { ipAllowlistMode: "explicit", ipAllowlist: config.requireObject<string[]>("backendCidrs") }
    : {}),
  rotation: config.get("keyRotation") ?? "1",
});

// The key this deployment manages the segments and templates below with, from wherever `pulumi up` runs: the
// backend's key would be refused there, outside its allowlist. Exported as a secret output, for the pipeline's
// notify step (deploy.sh notify).
const deployKey = new ApiKey("deploy-key", { appId: app.id, name: `deploy-${environment}` });
const owned = { appId: app.id, apiKey: deployKey.token };

const testers = new Segment("testers", {
  ...owned,
  name: "Testers",
  description: "QA devices and staff, who get every release note first",
  filters: [filter.tag("tester").is("true")],
});

const active = new Segment("active", {
  ...owned,
  name: "Active users",
  filters: [filter.lastSession.lessThanHoursAgo(config.getNumber("activeWithinHours") ?? 72)],
});

const dormant = new Segment("dormant", {
  ...owned,
  name: "Dormant users",
  description: "Came once or twice, then stopped",
  filters: [
    filter.lastSession.moreThanHoursAgo(config.getNumber("dormantAfterHours") ?? 720),
    filter.sessionCount.lessThan(3),
  ],
});

const welcome = new Template("welcome", {
  ...owned,
  name: "Welcome",
  channel: "push",
  headings: { en: "Welcome to Shop", fr: "Bienvenue chez Shop" },
  contents: { en: "Thanks for subscribing!", fr: "Merci de votre abonnement !" },
  url: siteUrl,
});

const digest = new Template("weekly-digest", {
  ...owned,
  name: "Weekly digest",
  channel: "email",
  emailSubject: config.get("digestSubject") ?? "Your week at Shop",
  emailBody: "<h1>This week</h1><p>{{ message.custom_data.summary }}</p>",
  emailFromName: config.get("emailFromName") ?? "Shop",
});

export const appId = app.id;
export const backendApiKey = key.token;
export const deployApiKey = deployKey.token;
export const segmentIds = { testers: testers.id, active: active.id, dormant: dormant.id };
export const templateIds = { welcome: welcome.id, digest: digest.id };
