// The quickstart: one OneSignal app for a website, and a server API key for it.
//
//   pulumi config set onesignal:apiUrl http://127.0.0.1:4010        # the emulator; omit for OneSignal
//   pulumi config set --secret onesignal:organizationApiKey <key>
//   pulumi up
import * as pulumi from "@pulumi/pulumi";
import { ApiKey, App } from "pulumi-onesignal";

// Program settings live under their own namespace, so the same keys work from the root project.
const config = new pulumi.Config("quickstart");
const stack = pulumi.getStack();

const app = new App("app", {
  name: config.get("appName") ?? `quickstart-${stack}`,
  chromeWebOrigin: config.get("siteUrl") ?? "https://example.com",
  siteName: config.get("siteName") ?? "Quickstart",
});

const serverKey = new ApiKey("server-key", {
  appId: app.id,
  name: config.get("keyName") ?? "server",
  // Change this value (any string) to rotate the key.
  rotation: config.get("keyRotation") ?? "1",
});

/** The app id, for SDKs and the dashboard. */
export const appId = app.id;
/** The API key's id (not secret). */
export const apiKeyId = serverKey.tokenId;
/** The API key itself: a secret output (`pulumi stack output apiKey --show-secrets`). */
export const apiKey = serverKey.token;
