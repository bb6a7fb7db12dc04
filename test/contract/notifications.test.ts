import { describe, expect } from "vitest";
import {
  cancelNotification,
  filter,
  getNotification,
  getNotificationHistory,
  listNotifications,
  sendNotification,
  upsertDevice,
  upsertUser,
} from "../../provider/index";
import { contractSuite } from "../support/contract-suite";
import { openApiAvailable } from "../support/openapi";

describe.runIf(openApiAvailable())("notifications against onesignal-current.yaml", () => {
  contractSuite({
    emulator: { exportDelayMs: 50 },
    app: true,
    async exercise({ emulator, proxy, app: { appId, appKey } }) {
      const direct = { apiUrl: emulator.url, apiKey: appKey };
      const device = await upsertDevice(
        appId,
        { deviceType: "android", identifier: "t", tags: { plan: "pro" }, externalUserId: "u" },
        direct,
      );
      await upsertUser(
        appId,
        { identity: { external_id: "u" }, subscriptions: [{ type: "Email", token: "u@example.com" }] },
        direct,
      );
      const opts = { apiUrl: proxy.url, apiKey: appKey };

      const pushed = await sendNotification(
        {
          appId,
          includedSegments: ["Subscribed Users"],
          excludedSegments: ["Inactive Users"],
          contents: { en: "Hi", fr: "Salut" },
          headings: { en: "Hello", fr: "Bonjour" },
          data: { screen: "home" },
          bigPicture: "https://example.com/a.png",
          buttons: [{ id: "open", text: "Open" }],
          webButtons: [{ id: "read", text: "Read", url: "https://example.com" }],
          ttl: 3600,
          priority: 10,
          iosBadgeType: "Increase",
          iosBadgeCount: 1,
        },
        opts,
      );
      await sendNotification(
        { appId, filters: [filter.tag("plan").is("pro"), filter.or, filter.language.is("fr")], contents: { en: "f" } },
        opts,
      );
      await sendNotification(
        {
          appId,
          includeAliases: { external_id: ["u", "ghost"] },
          targetChannel: "email",
          emailSubject: "s",
          emailBody: "<p>b</p>",
        },
        opts,
      );
      await sendNotification({ appId, includeSubscriptionIds: [device.id], contents: { en: "direct" } }, opts);
      await sendNotification({ appId, filters: [filter.country.is("JP")], contents: { en: "nobody" } }, opts);
      const later = await sendNotification(
        {
          appId,
          includedSegments: ["Subscribed Users"],
          contents: { en: "later" },
          sendAfter: new Date(Date.now() + 3600_000),
        },
        opts,
      );
      await getNotification(appId, pushed.id, opts);
      await getNotification(appId, later.id, opts);
      for await (const _ of listNotifications(appId, { pageSize: 2 }, opts)) {
        // walk every page
      }
      await cancelNotification(appId, later.id, opts);
      await getNotificationHistory(appId, pushed.id, { events: "sent", wait: true, pollIntervalMs: 100 }, opts);
      const failures: (() => Promise<unknown>)[] = [
        () => getNotification(appId, "6f1c7c9a-3b0e-4c55-9d7f-2a1b3c4d5e6f", opts),
        () => cancelNotification(appId, pushed.id, opts),
        () => sendNotification({ appId, includedSegments: ["Nope"], contents: { en: "x" } }, opts),
      ];
      for (const failure of failures) await expect(failure()).rejects.toThrow(/OneSignal answered 40[04]/);
    },
    operations: [
      "create_notification 200",
      "create_notification 400",
      "get_notification 200",
      "get_notification 404",
      "get_notifications 200",
      "cancel_notification 200",
      "cancel_notification 400",
      "get_notification_history 200",
    ],
  });
});
