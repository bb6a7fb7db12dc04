import { createServer } from "node:net";
import { inspect } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiKey, deleteApiKey, listApiKeys, rotateApiKey, updateApiKey } from "../../provider/client/api-keys";
import { createApp, getApp, listApps, updateApp } from "../../provider/client/apps";
import { editTagsByExternalUserId } from "../../provider/client/devices";
import {
  OneSignalApiError,
  OneSignalAuthError,
  OneSignalConnectionError,
  OneSignalNotFoundError,
  OneSignalRateLimitError,
} from "../../provider/client/errors";
import { createHttpClient, httpClient, type OneSignalHttpClient } from "../../provider/client/http";
import {
  cancelNotification,
  getNotification,
  requestEventsExport,
  requestNotificationHistory,
} from "../../provider/client/notifications";
import { createSegment, getSegment } from "../../provider/client/segments";
import { copyTemplateToApp, updateTemplate } from "../../provider/client/templates";
import { sendNotification } from "../../provider/functions/notifications";
import { filter } from "../../provider/models/filter-builder";
import { filterProblems, fromApiFilters, normalizeFilters, toApiFilters } from "../../provider/models/segment";
import { addAndroidDevice, createAppWithKey } from "../support/fixtures";
import { useEmulator } from "../support/use-emulator";

const { emulator } = useEmulator({ resetEach: true });
let client: OneSignalHttpClient;
const fast = { baseDelayMs: 5, maxDelayMs: 20 };

beforeAll(() => {
  client = createHttpClient({ apiUrl: emulator.url, apiKey: emulator.organizationApiKey, retry: fast });
});

/** Every way an error can reach a log line. */
function renderings(error: unknown): string[] {
  return [String(error), (error as Error).stack ?? "", JSON.stringify(error), inspect(error, { depth: 10 })];
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("apps and API keys", () => {
  it("creates, reads, lists and updates apps, and manages keys through their whole life", async () => {
    const app = await createApp(client, { name: "web", chrome_web_origin: "https://example.com" });
    expect((await getApp(client, app.id)).chrome_web_origin).toBe("https://example.com");
    expect((await listApps(client)).map((a) => a.id)).toEqual([app.id]);
    expect((await updateApp(client, app.id, { name: "renamed" })).name).toBe("renamed");

    const key = await createApiKey(client, app.id, { name: "ci" });
    expect(key.formatted_token).toMatch(/^os_v2_app_/);
    await updateApiKey(client, app.id, key.token_id, { ip_allowlist_mode: "explicit", ip_allowlist: ["10.0.0.0/8"] });
    expect(await listApiKeys(client, app.id)).toEqual([
      expect.objectContaining({ token_id: key.token_id, ip_allowlist_mode: "explicit", ip_allowlist: ["10.0.0.0/8"] }),
    ]);
    const rotated = await rotateApiKey(client, app.id, key.token_id);
    expect(rotated.formatted_token).not.toBe(key.formatted_token);
    await deleteApiKey(client, app.id, key.token_id);
    expect(await listApiKeys(client, app.id)).toEqual([]);
  });

  it("sends Authorization: Key and reuses one client per configuration", async () => {
    const settings = { apiUrl: emulator.url, apiKey: emulator.organizationApiKey };
    expect(httpClient(settings)).toBe(httpClient({ ...settings }));
    expect(httpClient(settings)).not.toBe(httpClient({ ...settings, apiKey: "other" }));
    expect(await listApps(httpClient(settings))).toEqual([]);
  });
});

describe("templates", () => {
  it("refuses to copy a template onto its own app before any request, as OneSignal would", async () => {
    const appId = "8f1c3a2e-0000-4000-8000-000000000001";
    const requests = await emulator.requestsDuring(async () => {
      await expect(copyTemplateToApp(client, appId, "5a2e0000-0000-4000-8000-000000000002", appId)).rejects.toThrow(
        "targetAppId cannot be the same as appId",
      );
    });
    expect(requests).toEqual([]);
  });

  it("refuses a template update without a name before any request, as OneSignal would", async () => {
    const appId = "8f1c3a2e-0000-4000-8000-000000000001";
    const requests = await emulator.requestsDuring(async () => {
      await expect(
        updateTemplate(client, appId, "5a2e0000-0000-4000-8000-000000000002", { name: " ", contents: { en: "Hi" } }),
      ).rejects.toThrow("name is required on every template update");
    });
    expect(requests).toEqual([]);
  });
});

describe("segments", () => {
  it("makes segments of country and language lists (release notes, May 12 2026) that read back as declared", async () => {
    const app = await createAppWithKey(emulator);
    const appClient = createHttpClient({ apiUrl: emulator.url, apiKey: app.appKey, retry: fast });
    await addAndroidDevice(emulator, app, { country: "US", language: "en" });
    await addAndroidDevice(emulator, app, { country: "CA", language: "fr" });
    await addAndroidDevice(emulator, app, { country: "FR", language: "fr" });
    const filters = [filter.country.in("US", "GB", "CA"), filter.language.notIn("es", "en")];
    expect(filterProblems(filters)).toEqual([]);
    const id = await createSegment(appClient, app.appId, {
      name: "North America, not English",
      filters: toApiFilters(filters),
    });
    const segment = await getSegment(appClient, app.appId, id);
    expect(segment.subscriber_count).toBe(1);
    expect(fromApiFilters(segment.payload?.filters ?? [])).toEqual(normalizeFilters(filters));
  });

  it("sendNotification refuses a message's filters as a segment's, before any request", async () => {
    const opts = { apiUrl: emulator.url, apiKey: "os_v2_app_unused" };
    const requests = await emulator.requestsDuring(async () => {
      await expect(
        sendNotification(
          {
            appId: "8f1c3a2e-0000-4000-8000-000000000001",
            filters: [filter.country.in("FR", "Belgium")],
            contents: { en: "Bonjour" },
          },
          opts,
        ),
      ).rejects.toThrow('filters[0].value: country inArray needs 2-letter codes such as "en" or "US", not "Belgium"');
    });
    expect(requests).toEqual([]);
  });

  it("refuses a country or language list that holds something other than codes, naming the property", () => {
    expect(filterProblems([filter.tag("plan").is("pro"), filter.country.in("US", "United Kingdom")])).toEqual([
      {
        property: "filters[1].value",
        reason: 'country inArray needs 2-letter codes such as "en" or "US", not "United Kingdom"',
      },
    ]);
    expect(filterProblems([{ field: "language", relation: "notInArray", value: "en,  " }])[0]?.property).toBe(
      "filters[0].value",
    );
  });
});

describe("notifications", () => {
  it("refuses a message id that is no UUID before any request, as OneSignal answers it with a 400", async () => {
    const appId = "8f1c3a2e-0000-4000-8000-000000000001";
    const requests = await emulator.requestsDuring(async () => {
      for (const call of [
        getNotification(client, appId, "nope"),
        cancelNotification(client, appId, "nope"),
        requestEventsExport(client, appId, "nope"),
        requestNotificationHistory(client, appId, "nope", { events: "sent" }),
      ]) {
        await expect(call).rejects.toThrow('id must be a message id (a UUID), not "nope"');
      }
    });
    expect(requests).toEqual([]);
  });
});

describe("devices", () => {
  it("edits tags by external user id, and an external id without devices is OneSignal's 404", async () => {
    const app = await createAppWithKey(emulator);
    const appClient = createHttpClient({ apiUrl: emulator.url, apiKey: app.appKey, retry: fast });
    const device = await addAndroidDevice(emulator, app, { external_user_id: "u-1" });
    await editTagsByExternalUserId(appClient, app.appId, "u-1", { plan: "pro" });
    const player = await emulator.api<{ tags: Record<string, string> }>(
      "GET",
      `/players/${device}?app_id=${app.appId}`,
      app.appKey,
    );
    expect(player.body.tags).toEqual({ plan: "pro" });
    const missing = await caught(editTagsByExternalUserId(appClient, app.appId, "nobody", { plan: "pro" }));
    expect(missing).toBeInstanceOf(OneSignalNotFoundError);
    expect((missing as Error).message).toContain("No players found for given external_user_id");
  });
});

describe("retries", () => {
  it("retries a 503 twice and then succeeds", async () => {
    const app = await createApp(client, { name: "web" });
    await emulator.fault({ method: "GET", path: `/apps/${app.id}`, status: 503, times: 2 });
    expect((await getApp(client, app.id)).name).toBe("web");
    const gets = (await emulator.requests()).filter((entry) => entry.method === "GET");
    expect(gets.map((entry) => entry.status)).toEqual([503, 503, 200]);
  });

  it("waits as long as Retry-After says on a 429", async () => {
    await emulator.fault({ method: "GET", path: "/apps", status: 429, retryAfter: 1, times: 1 });
    const started = Date.now();
    expect(await listApps(client)).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect((await emulator.requests()).map((entry) => entry.status)).toEqual([429, 200]);
  });

  it("retries a 429 even on a POST, since OneSignal did nothing", async () => {
    await emulator.fault({ method: "POST", path: "/apps", status: 429, retryAfter: 0, times: 1 });
    await createApp(client, { name: "web" });
    expect((await listApps(client)).length).toBe(1);
  });

  it("gives up after the last rate-limit wait with a rate-limit error carrying Retry-After", async () => {
    await emulator.fault({ method: "GET", path: "/apps", status: 429, retryAfter: 0, times: 10 });
    const patient = createHttpClient({
      apiUrl: emulator.url,
      apiKey: emulator.organizationApiKey,
      retry: { ...fast, maxRateLimitRetries: 3 },
    });
    const error = await caught(listApps(patient));
    expect(error).toBeInstanceOf(OneSignalRateLimitError);
    expect((error as OneSignalRateLimitError).retryAfterMs).toBe(0);
    expect((error as Error).message).toBe("OneSignal answered 429 to GET /apps: API rate limit exceeded");
    expect((await emulator.requests()).length).toBe(4);
  });

  it("counts 429s apart from failures: a rate limit does not use up the retries of a 5xx", async () => {
    await emulator.fault({ method: "GET", path: "/apps", status: 429, retryAfter: 0, times: 5 });
    await emulator.fault({ method: "GET", path: "/apps", status: 503, times: 3 });
    expect(await listApps(client)).toEqual([]);
    expect((await emulator.requests()).map((entry) => entry.status)).toEqual([
      429, 429, 429, 429, 429, 503, 503, 503, 200,
    ]);
  });

  it("does not retry a 404", async () => {
    const error = await caught(getApp(client, "missing"));
    expect(error).toBeInstanceOf(OneSignalNotFoundError);
    expect((error as OneSignalApiError).errors).toEqual(["Couldn't find app with id = missing"]);
    expect((await emulator.requests()).length).toBe(1);
  });

  it("does not retry a POST that may have been carried out (5xx or a dropped connection)", async () => {
    await emulator.fault({ method: "POST", path: "/apps", status: 503, times: 1 });
    expect(await caught(createApp(client, { name: "once" }))).toBeInstanceOf(OneSignalApiError);
    await emulator.fault({ method: "POST", path: "/apps", afterCommit: true, times: 1 });
    const dropped = await caught(createApp(client, { name: "committed" }));
    expect(dropped).toBeInstanceOf(OneSignalConnectionError);
    expect((dropped as Error).message).toMatch(/^POST \/apps: no response from OneSignal/);
    expect((await listApps(client)).map((app) => app.name)).toEqual(["committed"]);
  });

  it("retries an idempotent request whose connection was dropped", async () => {
    const app = await createApp(client, { name: "web" });
    await emulator.fault({ method: "PUT", path: `/apps/${app.id}`, reset: true, times: 1 });
    expect((await updateApp(client, app.id, { name: "after-drop" })).name).toBe("after-drop");
    await emulator.fault({ method: "PUT", path: `/apps/${app.id}`, afterCommit: true, times: 1 });
    expect((await updateApp(client, app.id, { name: "after-commit-drop" })).name).toBe("after-commit-drop");
  });

  it("reports a refused connection with its code after retrying", async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, "127.0.0.1", () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const offline = createHttpClient({ apiUrl: `http://127.0.0.1:${port}`, apiKey: "os_v2_org_secret", retry: fast });
    const error = await caught(listApps(offline));
    expect(error).toBeInstanceOf(OneSignalConnectionError);
    expect((error as OneSignalConnectionError).code).toBe("ECONNREFUSED");
  });
});

describe("errors", () => {
  it("carry OneSignal's text, status and path, and never the key", async () => {
    const secretKey = "os_v2_org_this_must_never_be_printed";
    const wrong = createHttpClient({ apiUrl: emulator.url, apiKey: secretKey, retry: fast });
    const denied = await caught(listApps(wrong));
    expect(denied).toBeInstanceOf(OneSignalAuthError);
    expect((denied as OneSignalAuthError).status).toBe(403);
    expect((denied as Error).message).toContain("OneSignal answered 403 to GET /apps: Access denied.");

    const bad = await caught(createApp(client, { name: "" }));
    expect((bad as Error).message).toBe("OneSignal answered 400 to POST /apps: Name can't be blank");

    await emulator.fault({ method: "GET", path: "/apps", reset: true, times: 10 });
    const dropped = await caught(listApps(wrong));
    expect(dropped).toBeInstanceOf(OneSignalConnectionError);
    await fetch(`${emulator.url}/_emulator/faults`, { method: "DELETE" });
    const server = createHttpClient({ apiUrl: emulator.url, apiKey: secretKey, retry: fast });
    await emulator.fault({ method: "GET", path: "/apps", status: 500, times: 10 });
    const failed = await caught(listApps(server));
    expect((failed as OneSignalApiError).status).toBe(500);
    for (const error of [denied, dropped, failed]) {
      for (const text of renderings(error)) expect(text).not.toContain(secretKey);
    }
    for (const text of renderings(bad)) expect(text).not.toContain(emulator.organizationApiKey);
  });
});

describe("time limits", () => {
  it("stops retrying at the call's deadline: fewer attempts than the retry policy allows", async () => {
    // Every attempt hangs past its own timeout; without a deadline the client would try 4 times.
    await emulator.fault({ method: "GET", path: "/apps", times: 10, delayMs: 400 });
    const client = createHttpClient({
      apiUrl: emulator.url,
      apiKey: emulator.organizationApiKey,
      timeoutMs: 100,
      deadlineMs: 700,
    });
    await expect(client.request({ method: "GET", path: "/apps" })).rejects.toThrow(/ETIMEDOUT/);
    await emulator.api("DELETE", "/_emulator/faults", "");
    // The hung attempts are logged (unanswered) once the emulator's delay ends.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const attempts = (await emulator.requests()).filter((entry) => entry.path === "/apps").length;
    expect(attempts).toBeGreaterThanOrEqual(1);
    expect(attempts).toBeLessThan(4);
  });
});
