import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { addAndroidDevice } from "../support/fixtures";
import { OPENAPI_DIR } from "../support/openapi";
import { useEmulatorApp } from "../support/use-emulator";

// Routes that answered 405 because their path matched another route's (creating an alias matched viewing a user's
// identity; estimating recipients matched viewing a message), now served after their reference pages, and
// include-segment-detail as Python's SDK writes it.

const { emulator, app } = useEmulatorApp({ resetEach: true });

type Identity = { identity: Record<string, string> };
type User = Identity & { subscriptions: { id: string; token: string }[] };

const users = () => `/apps/${app.appId}/users`;

async function createUser(externalId: string, token: string): Promise<User> {
  const made = await emulator.api<User>("POST", users(), app.appKey, {
    identity: { external_id: externalId },
    subscriptions: [{ type: "AndroidPush", token }],
  });
  expect(made.status).toBe(201);
  return made.body;
}

describe("aliases (Create alias, Delete alias, by subscription)", () => {
  it("creates and replaces aliases of a user, who is then found by them", async () => {
    const alice = await createUser("alice", "fcm-alice");
    const created = await emulator.api<Identity>("PATCH", `${users()}/by/external_id/alice/identity`, app.appKey, {
      identity: { crm_id: "c-1" },
    });
    expect(created).toEqual({
      status: 200,
      body: { identity: { external_id: "alice", crm_id: "c-1", onesignal_id: alice.identity.onesignal_id } },
    });
    const found = await emulator.api<Identity>("GET", `${users()}/by/crm_id/c-1/identity`, app.appKey);
    expect(found.body.identity.onesignal_id).toBe(alice.identity.onesignal_id);
    // An upsert: the external id changes, and the legacy view of the subscription shows it.
    await emulator.api("PATCH", `${users()}/by/crm_id/c-1/identity`, app.appKey, { identity: { external_id: "al" } });
    expect((await emulator.api("GET", `${users()}/by/external_id/alice`, app.appKey)).status).toBe(404);
    const player = await emulator.api<{ external_user_id: string }>(
      "GET",
      `/players/${alice.subscriptions[0]?.id}?app_id=${app.appId}`,
      app.appKey,
    );
    expect(player.body.external_user_id).toBe("al");
  });

  it("refuses an alias another user holds (409), the OneSignal id (400), and an unknown user (404)", async () => {
    await createUser("alice", "fcm-alice");
    await createUser("bob", "fcm-bob");
    const path = `${users()}/by/external_id/alice/identity`;
    expect(await emulator.api("PATCH", path, app.appKey, { identity: { external_id: "bob" } })).toEqual({
      status: 409,
      body: {
        errors: [
          { code: "Conflict", title: "Conflicting aliases", meta: { conflicting_aliases: { external_id: "bob" } } },
        ],
      },
    });
    expect(await emulator.api("PATCH", path, app.appKey, { identity: { onesignal_id: "x" } })).toEqual({
      status: 400,
      body: { errors: [{ code: "bad-request", title: "onesignal_id is read-only: it cannot be set" }] },
    });
    expect((await emulator.api("PATCH", path, app.appKey, { identity: {} })).status).toBe(400);
    expect(
      await emulator.api("PATCH", `${users()}/by/external_id/nobody/identity`, app.appKey, { identity: { a: "b" } }),
    ).toEqual({ status: 404, body: { errors: [{ code: "user-2", title: "User not found" }] } });
  });

  it("deletes an alias, never the OneSignal id", async () => {
    const alice = await createUser("alice", "fcm-alice");
    await emulator.api("PATCH", `${users()}/by/external_id/alice/identity`, app.appKey, {
      identity: { crm_id: "c-1" },
    });
    const deleted = await emulator.api<Identity>(
      "DELETE",
      `${users()}/by/external_id/alice/identity/crm_id`,
      app.appKey,
    );
    expect(deleted).toEqual({
      status: 200,
      body: { identity: { external_id: "alice", onesignal_id: alice.identity.onesignal_id } },
    });
    expect((await emulator.api("GET", `${users()}/by/crm_id/c-1`, app.appKey)).status).toBe(404);
    expect((await emulator.api("DELETE", `${users()}/by/external_id/alice/identity/crm_id`, app.appKey)).status).toBe(
      404,
    );
    expect(
      (await emulator.api("DELETE", `${users()}/by/external_id/alice/identity/onesignal_id`, app.appKey)).status,
    ).toBe(400);
  });

  it("reads and adds aliases by subscription, and moves a subscription to another user", async () => {
    const alice = await createUser("alice", "fcm-alice");
    const bob = await createUser("bob", "fcm-bob");
    const subscription = alice.subscriptions[0]?.id as string;
    const identityPath = `/apps/${app.appId}/subscriptions/${subscription}/user/identity`;
    expect((await emulator.api<Identity>("GET", identityPath, app.appKey)).body).toEqual({
      identity: { external_id: "alice", onesignal_id: alice.identity.onesignal_id },
    });
    const added = await emulator.api<Identity>("PATCH", identityPath, app.appKey, { identity: { crm_id: "c-1" } });
    expect(added.body.identity).toMatchObject({ external_id: "alice", crm_id: "c-1" });

    const moved = await emulator.api<Identity>(
      "PATCH",
      `/apps/${app.appId}/subscriptions/${subscription}/owner`,
      app.appKey,
      { identity: { external_id: "bob" } },
    );
    expect(moved).toEqual({
      status: 200,
      body: { identity: { external_id: "bob", onesignal_id: bob.identity.onesignal_id } },
    });
    const bobNow = await emulator.api<User>("GET", `${users()}/by/external_id/bob`, app.appKey);
    expect(bobNow.body.subscriptions.map((each) => each.token).sort()).toEqual(["fcm-alice", "fcm-bob"]);
    expect((await emulator.api<Identity>("GET", identityPath, app.appKey)).body.identity.external_id).toBe("bob");
    const toNobody = await emulator.api("PATCH", `/apps/${app.appId}/subscriptions/${subscription}/owner`, app.appKey, {
      identity: { external_id: "nobody" },
    });
    expect(toNobody.status).toBe(404);
  });
});

describe("Estimated recipients (POST /notifications/count-unsaved)", () => {
  async function estimate(body: Record<string, unknown>) {
    return emulator.api<Record<string, unknown>>("POST", "/notifications/count-unsaved", app.appKey, {
      app_id: app.appId,
      ...body,
    });
  }

  it("counts the subscribed audience of segments, narrowed by exclusions, filters, aliases and channel", async () => {
    await addAndroidDevice(emulator, app, { tags: { plan: "pro" }, country: "FR" });
    await addAndroidDevice(emulator, app, { tags: { plan: "pro" }, country: "US", external_user_id: "carol" });
    await addAndroidDevice(emulator, app, { tags: { plan: "free" } });
    await addAndroidDevice(emulator, app, { tags: { plan: "pro" }, notification_types: -2 });
    await emulator.api("POST", `/apps/${app.appId}/segments`, app.appKey, {
      name: "Pro",
      filters: [{ field: "tag", key: "plan", relation: "=", value: "pro" }],
    });
    expect(await estimate({ included_segments: ["All"], contents: { en: "ignored" } })).toEqual({
      status: 200,
      body: { count: 3, uncapped_count: null, cap_applied: false, mobile_suppressed: false, mobile_excluded_count: 0 },
    });
    expect((await estimate({ included_segments: ["Pro"] })).body.count).toBe(2);
    expect((await estimate({ included_segments: ["All"], excluded_segments: ["Pro"] })).body.count).toBe(1);
    const french = [{ field: "country", relation: "=", value: "FR" }];
    expect((await estimate({ included_segments: ["Pro"], filters: french })).body.count).toBe(1);
    expect(
      (await estimate({ included_segments: ["Pro"], include_aliases: { external_id: ["carol"] } })).body.count,
    ).toBe(1);
    expect((await estimate({ included_segments: ["Pro"], target_channel: "email" })).body.count).toBe(0);
    // Created nothing.
    const list = await emulator.api<{ total_count: number }>("GET", `/notifications?app_id=${app.appId}`, app.appKey);
    expect(list.body.total_count).toBe(0);
  });

  it("requires included_segments, and refuses an unknown segment", async () => {
    expect(await estimate({ filters: [{ field: "country", relation: "=", value: "FR" }] })).toEqual({
      status: 400,
      body: { errors: ["included_segments is required: the segment names of the audience to count"] },
    });
    expect(await estimate({ included_segments: ["Nobody"] })).toEqual({
      status: 400,
      body: { errors: ["Segment not found: Nobody"] },
    });
  });
});

describe("include-segment-detail as Python's SDK writes it", () => {
  it("honours True, and refuses a value that is no boolean", async () => {
    const filters = [{ field: "tag", key: "plan", relation: "=", value: "pro" }];
    const created = await emulator.api<{ id: string }>("POST", `/apps/${app.appId}/segments`, app.appKey, {
      name: "Pro",
      filters,
    });
    const view = (flag: string) =>
      emulator.api<Record<string, unknown>>(
        "GET",
        `/apps/${app.appId}/segments/${created.body.id}?include-segment-detail=${flag}`,
        app.appKey,
      );
    expect((await view("True")).body).toMatchObject({ payload: { name: "Pro", filters } });
    expect((await view("False")).body).toEqual({ subscriber_count: 0 });
    expect(await view("yes")).toEqual({
      status: 400,
      body: { success: false, errors: ["include-segment-detail must be true or false"] },
    });
  });
});

describe("every documented route is served or refused by name", () => {
  it("answers no 405 and no 'No route' to any path and method of OneSignal's OpenAPI descriptions", async () => {
    const documented: [string, string][] = [];
    for (const file of ["onesignal-current.yaml", "onesignal-legacy.yaml"]) {
      const spec = parse(readFileSync(path.join(OPENAPI_DIR, file), "utf8")) as { paths: Record<string, object> };
      for (const [route, operations] of Object.entries(spec.paths)) {
        for (const method of Object.keys(operations).filter((key) =>
          ["get", "post", "put", "patch", "delete"].includes(key),
        ))
          documented.push([method.toUpperCase(), route.split("?")[0] as string]);
      }
    }
    expect(documented.length).toBeGreaterThan(50);
    const misrouted: string[] = [];
    for (const [method, route] of documented) {
      const concrete = route
        .replace("{app_id}", app.appId)
        .replace(/\{[^}]*id[^}]*\}/g, "00000000-0000-4000-8000-000000000000")
        .replace(/\{[^}]+\}/g, "label");
      const answer = await emulator.api<{ errors?: unknown }>(
        method,
        concrete,
        app.appKey,
        method === "GET" ? undefined : {},
      );
      if (answer.status === 405 || JSON.stringify(answer.body).includes("No route")) {
        misrouted.push(`${method} ${route}: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
    }
    expect(misrouted).toEqual([]);
  });

  it("refuses a documented route it does not model with a 400 naming it and its page", async () => {
    for (const [method, route, page] of [
      ["GET", `/apps/${app.appId}/outcomes?outcome_names=os__click.count`, "View Outcomes"],
      ["POST", `/apps/${app.appId}/custom_events`, "Create custom events"],
      ["POST", "/players/00000000-0000-4000-8000-000000000000/on_session", "New session"],
    ] as const) {
      const answer = await emulator.api<{ errors: string[] }>(
        method,
        route,
        app.appKey,
        method === "GET" ? undefined : {},
      );
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0]).toMatch(
        new RegExp(`^${method} .*\\(${page}\\) is documented by OneSignal but not emulated`),
      );
    }
  });
});
