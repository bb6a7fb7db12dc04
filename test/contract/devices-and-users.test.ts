import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { editDevice, exportDevicesCsv, getDevice, upsertDevice, upsertUser } from "../../provider/index";
import { type ContractRun, startContractRun } from "../support/contract-run";
import type { TestEmulator } from "../support/emulator";
import { createAppWithKey } from "../support/fixtures";
import {
  type Contract,
  contractViolations,
  coveredOperations,
  loadContract,
  openApiAvailable,
} from "../support/openapi";
import type { Exchange, RecordingProxy } from "../support/recording-proxy";

// The device ("player") endpoints exist only in the legacy description; users and CSV export in the current one.
const available = openApiAvailable("onesignal-legacy.yaml") && openApiAvailable("onesignal-current.yaml");

describe.runIf(available)("devices, users and CSV export against OneSignal's descriptions", () => {
  let emulator: TestEmulator;
  let proxy: RecordingProxy;
  let run: ContractRun;
  let legacy: Contract;
  let current: Contract;

  beforeAll(async () => {
    run = await startContractRun({ exportDelayMs: 100 });
    ({ emulator, proxy } = run);
    legacy = await loadContract("onesignal-legacy.yaml");
    current = await loadContract("onesignal-current.yaml");
    const { appId, appKey } = await createAppWithKey(emulator);
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
  });

  afterAll(async () => run.close());

  /** The exchanges of each description: file downloads (the storage host) belong to neither. */
  function byContract(): { contract: Contract; exchange: Exchange }[] {
    return proxy.exchanges
      .filter((exchange) => !exchange.path.startsWith("/csv_exports/"))
      .map((exchange) => ({
        contract: exchange.path.startsWith("/players") && exchange.path !== "/players/csv_export" ? legacy : current,
        exchange,
      }));
  }

  it("covers the routes the functions use, successes and errors", () => {
    expect(coveredOperations(byContract())).toEqual(
      [
        "create_player 200",
        "create_player 400",
        "update_player 200",
        "get_player 200",
        "get_player 400",
        "get_user 200",
        "get_user 404",
        "create_user 200",
        "create_user 201",
        "export_subscriptions 200",
      ].sort(),
    );
  });

  it("every request and response validates, with no read-only field sent and no write-only field returned", () => {
    expect(contractViolations(byContract())).toEqual([]);
  });
});
