import { beforeEach, describe, expect, it } from "vitest";
import { OneSignalApiError, OneSignalAuthError, OneSignalNotFoundError } from "../../provider/client/errors";
import { fetchPreparedFile } from "../../provider/client/exports";
import { createHttpClient, type OneSignalHttpClient } from "../../provider/client/http";
import { requestEventsExport, requestNotificationHistory } from "../../provider/client/notifications";
import { createSegment, listSegmentsPage } from "../../provider/client/segments";
import { createTemplate } from "../../provider/client/templates";
import { createOrUpdateUser, getUser } from "../../provider/client/users";
import { useEmulatorApp } from "../support/use-emulator";

// The client against every answer OneSignal documents for the calls it makes, including those where its
// reference pages and its OpenAPI disagree (docs/api-fidelity.md). The emulator gives its own answer; the
// others it gives through an injected fault with OneSignal's documented status and body.

const { emulator, app } = useEmulatorApp({ resetEach: true });
let client: OneSignalHttpClient;
const fast = { baseDelayMs: 5, maxDelayMs: 20 };
const NOTIFICATION = "00000000-0000-4000-8000-000000000001";

beforeEach(() => {
  client = createHttpClient({ ...app.opts, retry: fast });
});

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to fail");
}

describe("success statuses on which OneSignal's sources disagree", () => {
  it("reads the segment list whether OneSignal answers 201 (its OpenAPI) or 200 (its pages)", async () => {
    await createSegment(client, app.appId, {
      name: "Pro",
      filters: [{ field: "tag", key: "plan", relation: "exists" }],
    });
    const asEmulated = await listSegmentsPage(client, app.appId);
    expect(asEmulated.segments.map((segment) => segment.name)).toEqual(["Pro"]);
    await emulator.fault({ method: "GET", path: `/apps/${app.appId}/segments`, status: 200, body: asEmulated });
    expect(await listSegmentsPage(client, app.appId)).toEqual(asEmulated);
  });

  it("takes notification history answered 202 (the pages) as well as 200 (the OpenAPI)", async () => {
    const url = "https://onesignal.com/csv_exports/history.csv";
    await emulator.fault({
      method: "POST",
      path: `/notifications/${NOTIFICATION}/history`,
      status: 202,
      body: { success: true, destination_url: url },
    });
    expect(await requestNotificationHistory(client, app.appId, NOTIFICATION, { events: "sent" })).toBe(url);
  });
});

describe("error answers keep OneSignal's words", () => {
  it("history of an unknown message: 404 from the emulator, 400 as OneSignal's catalog also lists it", async () => {
    const notFound = await caught(requestNotificationHistory(client, app.appId, NOTIFICATION, { events: "sent" }));
    expect(notFound).toBeInstanceOf(OneSignalNotFoundError);
    expect(notFound.message).toContain("Notification not found");
    await emulator.fault({
      method: "POST",
      path: `/notifications/${NOTIFICATION}/history`,
      status: 400,
      body: { errors: ["Notification not found"] },
    });
    const refused = await caught(requestNotificationHistory(client, app.appId, NOTIFICATION, { events: "sent" }));
    expect(refused).toBeInstanceOf(OneSignalApiError);
    expect(refused.message).toBe(
      `OneSignal answered 400 to POST /notifications/${NOTIFICATION}/history: Notification not found`,
    );
  });

  it("a template OneSignal cannot save: its HTML 422 page, read as its title", async () => {
    await emulator.fault({
      method: "POST",
      path: "/templates",
      status: 422,
      contentType: "text/html; charset=utf-8",
      body: "<!DOCTYPE html><html><head><title>The change you wanted was rejected (422)</title></head><body></body></html>",
    });
    const error = await caught(createTemplate(client, { app_id: app.appId, name: "x", contents: { en: "hi" } }));
    expect(error.message).toBe("OneSignal answered 422 to POST /templates: The change you wanted was rejected (422)");
  });

  it("a segment past the plan's limit (422, the pages) and a duplicate name (409, the OpenAPI)", async () => {
    const filters = [{ field: "tag", key: "plan", relation: "exists" }];
    await createSegment(client, app.appId, { name: "Pro", filters });
    const duplicate = await caught(createSegment(client, app.appId, { name: "Pro", filters }));
    expect(duplicate.message).toBe(
      `OneSignal answered 409 to POST /apps/${app.appId}/segments: Segment name is already taken.`,
    );
    const limit = "You have reached the maximum number of segments allowed for your plan.";
    await emulator.fault({
      method: "POST",
      path: `/apps/${app.appId}/segments`,
      status: 422,
      body: { errors: [limit] },
    });
    expect((await caught(createSegment(client, app.appId, { name: "More", filters }))).message).toContain(limit);
  });

  it("the Users API's structured errors: 401 auth-1 without a key, 409 Conflict with its aliases", async () => {
    const keyless = createHttpClient({ apiUrl: emulator.url, apiKey: "", retry: fast });
    const denied = await caught(getUser(keyless, app.appId, "external_id", "u"));
    expect(denied).toBeInstanceOf(OneSignalAuthError);
    expect(denied.message).toContain("auth-1: This operation requires 'Authorization' in the HTTP header");
    await createOrUpdateUser(client, app.appId, { identity: { external_id: "a" } });
    await createOrUpdateUser(client, app.appId, { identity: { external_id: "b", crm_id: "42" } });
    const conflict = await caught(
      createOrUpdateUser(client, app.appId, { identity: { external_id: "a", crm_id: "42" } }),
    );
    expect(conflict).toBeInstanceOf(OneSignalApiError);
    expect(conflict.message).toContain("409");
    expect(conflict.message).toContain("Conflict: Conflicting aliases");
    expect((conflict as OneSignalApiError).body).toMatchObject({
      errors: [{ meta: { conflicting_aliases: { crm_id: "42" } } }],
    });
  });

  it("an events export with a wrong key: the 401 its reference page documents", async () => {
    const wrong = createHttpClient({ apiUrl: emulator.url, apiKey: "os_v2_app_wrong", retry: fast });
    const error = await caught(requestEventsExport(wrong, app.appId, NOTIFICATION));
    expect(error).toBeInstanceOf(OneSignalAuthError);
    expect(error.message).toContain("OneSignal answered 401");
    expect(error.message).toContain("Missing or invalid REST API key for the app.");
  });
});

describe("a prepared file not ready yet", () => {
  it("waits through the 404 NoSuchKey of today's pages and the 403 of older ones", async () => {
    const file = `${emulator.url}/csv_exports/${app.appId}/nothing-yet.csv.gz`;
    expect(await fetchPreparedFile(file)).toBeUndefined();
    await emulator.fault({
      method: "GET",
      path: `/csv_exports/${app.appId}/`,
      status: 403,
      contentType: "application/xml",
      body: "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>",
    });
    expect(await fetchPreparedFile(file)).toBeUndefined();
  });
});
