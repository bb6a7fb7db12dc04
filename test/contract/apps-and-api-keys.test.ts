import { describe, expect, it } from "vitest";
import * as apiKeys from "../../provider/client/api-keys";
import * as apps from "../../provider/client/apps";
import { createHttpClient } from "../../provider/client/http";
import { contractSuite } from "../support/contract-suite";
import { flaggedProperties, openApiAvailable } from "../support/openapi";

describe.runIf(openApiAvailable())("apps and API keys against onesignal-current.yaml", () => {
  const suite = contractSuite({
    async exercise({ emulator, proxy }) {
      // Every client function for these routes, and the errors they meet.
      const org = createHttpClient({
        apiUrl: proxy.url,
        apiKey: emulator.organizationApiKey,
        retry: { maxRetries: 0 },
      });
      const serviceAccount = Buffer.from(
        JSON.stringify({ project_id: "p", client_email: "c", private_key: "k" }),
      ).toString("base64");
      const app = await apps.createApp(org, {
        name: "contract",
        organization_id: emulator.organizationId,
        chrome_web_origin: "https://example.com",
        chrome_web_default_notification_icon: "https://example.com/icon.png",
        site_name: "Example",
        safari_site_origin: "https://example.com",
        safari_icon_256_256: "https://example.com/safari.png",
        safari_apns_p12: "cDEy",
        safari_apns_p12_password: "pw",
        apns_env: "production",
        apns_p8: "p8",
        apns_key_id: "K",
        apns_team_id: "T",
        apns_bundle_id: "com.example",
        fcm_v1_service_account_json: serviceAccount,
        additional_data_is_root_payload: true,
        gcm_key: "g",
        android_gcm_sender_id: "123",
      });
      await apps.getApp(org, app.id);
      await apps.listApps(org);
      await apps.updateApp(org, app.id, { name: "contract-renamed", gcm_key: null });
      const key = await apiKeys.createApiKey(org, app.id, {
        name: "ci",
        ip_allowlist_mode: "explicit",
        ip_allowlist: ["203.0.113.0/24"],
      });
      await apiKeys.listApiKeys(org, app.id);
      await apiKeys.updateApiKey(org, app.id, key.token_id, { name: "ci-renamed", ip_allowlist_mode: "disabled" });
      await apiKeys.rotateApiKey(org, app.id, key.token_id);
      await apiKeys.deleteApiKey(org, app.id, key.token_id);
      const wrongKey = createHttpClient({ apiUrl: proxy.url, apiKey: "wrong", retry: { maxRetries: 0 } });
      const failures: (() => Promise<unknown>)[] = [
        () => apps.getApp(org, "00000000-0000-4000-8000-000000000000"),
        () => apps.createApp(org, { name: "" }),
        () => apiKeys.deleteApiKey(org, app.id, key.token_id),
        () => apiKeys.listApiKeys(org, "missing-app"),
        () => apps.listApps(wrongKey),
      ];
      for (const failure of failures) await expect(failure()).rejects.toThrow(/OneSignal answered 40[034]/);
    },
    operations: [
      "create_app 200",
      "create_app 400",
      "get_app 200",
      "get_app 404",
      "get_apps 200",
      "get_apps 403",
      "update_app 200",
      "create_api_key 200",
      "view_api_keys 200",
      "view_api_keys 404",
      "update_api_key 200",
      "rotate_api_key 200",
      "delete_api_key 200",
      "delete_api_key 404",
    ],
  });

  it("is strict enough to fail: a wrong body is refused", () => {
    const { contract } = suite;
    const tokens = contract.api.getOperation("view_api_keys");
    const create = contract.api.getOperation("create_api_key");
    if (!tokens || !create) throw new Error("operations missing from the spec");
    expect(contract.api.validateResponse({ tokens: "none" }, tokens, 200).errors?.length).toBeGreaterThan(0);
    const badRequest = contract.api.validateRequest(
      {
        method: "post",
        path: "/apps/x/auth/tokens",
        headers: { "content-type": "application/json" },
        body: { ip_allowlist_mode: "open" },
      },
      create,
    );
    expect(badRequest.errors?.length).toBeGreaterThan(0);
    expect(flaggedProperties(contract.schemaFor("get_app", { status: 200 }), { apns_p12: "x" }, "writeOnly")).toEqual([
      "apns_p12",
    ]);
  });
});
