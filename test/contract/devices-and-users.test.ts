import { describe, expect } from "vitest";
import { editDevice, exportDevicesCsv, getDevice, upsertDevice, upsertUser } from "../../provider/index";
import { contractSuite } from "../support/contract-suite";
import { openApiAvailable } from "../support/openapi";

// The device ("player") endpoints exist only in the legacy description; users and CSV export in the current one.
const LEGACY = "onesignal-legacy.yaml";
const CURRENT = "onesignal-current.yaml";

const available = openApiAvailable(LEGACY) && openApiAvailable(CURRENT);

describe.runIf(available)("devices, users and CSV export against OneSignal's descriptions", () => {
  contractSuite({
    emulator: { exportDelayMs: 100 },
    descriptions: [LEGACY, CURRENT],
    describedBy: (exchange) =>
      exchange.path.startsWith("/players") && exchange.path !== "/players/csv_export" ? LEGACY : CURRENT,
    app: true,
    async exercise({ proxy, app: { appId, appKey } }) {
      const opts = { apiUrl: proxy.url, apiKey: appKey };

      const { id } = await upsertDevice(
        appId,
        {
          deviceType: "android",
          identifier: "fcm-contract",
          externalUserId: "u-1",
          language: "fr",
          timezone: 3600,
          appVersion: "1.2",
          deviceModel: "Pixel",
          deviceOs: "14",
          sessionCount: 3,
          amountSpent: 9.99,
          tags: { plan: "pro" },
          lat: 48.8,
          long: 2.3,
          country: "FR",
          lastActive: new Date(),
        },
        opts,
      );
      await upsertDevice(appId, { deviceType: "email", identifier: "qa@example.com" }, opts);
      await editDevice(appId, id, { tags: { plan: "" }, language: "de" }, opts);
      await getDevice(appId, id, opts);
      await upsertDevice(appId, { deviceType: "chromeWeb", externalUserId: "u-2" }, opts);
      await upsertDevice(appId, { deviceType: "chromeWeb", externalUserId: "u-2", language: "es" }, opts);
      await upsertUser(
        appId,
        {
          identity: { external_id: "u-3" },
          properties: { tags: { vip: "1" }, language: "en", timezoneId: "Europe/Paris", country: "FR" },
          subscriptions: [
            { type: "Email", token: "u3@example.com" },
            { type: "SMS", token: "+15555550103" },
          ],
        },
        opts,
      );
      await upsertUser(appId, { identity: { external_id: "u-3" }, properties: { tags: { vip: "" } } }, opts);
      await exportDevicesCsv(appId, { ...opts, pollIntervalMs: 100, extraFields: ["location", "country"] });
      await expect(getDevice(appId, "missing", opts)).rejects.toThrow(/No user with this id found/);
      await expect(upsertDevice(appId, { deviceType: "sms", identifier: "123" }, opts)).rejects.toThrow(/E.164/);
    },
    operations: [
      "create_player 200",
      "create_player 400",
      "update_player 200",
      "get_player 200",
      "get_player 404",
      "get_user 200",
      "get_user 404",
      "create_user 200",
      "create_user 201",
      "export_subscriptions 200",
    ],
  });
});
