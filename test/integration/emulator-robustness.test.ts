import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import * as path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { type Started, startNode, waitFor } from "../support/processes";
import { tempDirForTest } from "../support/temp-dirs";

let emulator: TestEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** One request on a given agent (so keep-alive connections are reused), resolving to its status. */
function post(agent: Agent, url: string, key: string, body: Buffer | string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/apps`,
      { method: "POST", agent, headers: { authorization: `Key ${key}`, "content-type": "application/json" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    // The server may stop reading a body too large; that is its right, and not this test's question.
    req.on("error", (error: NodeJS.ErrnoException) => (error.code === "EPIPE" ? undefined : reject(error)));
    req.end(body);
  });
}

describe("the emulator under bad input", () => {
  it("closes the connection after a 413, so the next request on a kept-alive agent is answered", async () => {
    emulator = await startTestEmulator();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const tooLarge = Buffer.alloc(11 * 1024 * 1024, 0x20);
    for (let round = 0; round < 5; round++) {
      expect(await post(agent, emulator.url, emulator.organizationApiKey, tooLarge)).toBe(413);
      expect(await post(agent, emulator.url, emulator.organizationApiKey, JSON.stringify({ name: `a${round}` }))).toBe(
        200,
      );
    }
    agent.destroy();
  });

  it("carries out a delayed request whose client gave up, logs it unanswered, and prints nothing", async () => {
    emulator = await startTestEmulator();
    const stderr = vi.spyOn(process.stderr, "write");
    try {
      await emulator.fault({ method: "POST", path: "/apps", times: 1, delayMs: 300 });
      const controller = new AbortController();
      const sent = fetch(`${emulator.url}/apps`, {
        method: "POST",
        headers: { authorization: `Key ${emulator.organizationApiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "slow" }),
        signal: controller.signal,
      }).catch(() => undefined);
      setTimeout(() => controller.abort(), 50);
      await sent;
      await new Promise((resolve) => setTimeout(resolve, 600));
      const apps = await emulator.api<{ name: string }[]>("GET", "/apps", emulator.organizationApiKey);
      expect(apps.body.map((app) => app.name)).toEqual(["slow"]);
      const logged = (await emulator.requests()).filter((entry) => entry.method === "POST" && entry.path === "/apps");
      expect(logged.map((entry) => entry.status)).toEqual([0]);
      expect(stderr.mock.calls.map(([text]) => String(text)).join("")).not.toContain("onesignal-emulator:");
    } finally {
      stderr.mockRestore();
    }
  });

  it("keeps a bounded window of the request log, newest last", async () => {
    emulator = await startTestEmulator({ requestLogLimit: 10 });
    for (let index = 0; index < 25; index++) await emulator.api("GET", `/apps/n${index}`, emulator.organizationApiKey);
    const log = await emulator.requests();
    expect(log.length).toBeLessThanOrEqual(10);
    expect(log.at(-1)?.path).toBe("/apps/n24");
  });
});

describe("the data file", () => {
  it("is readable by its owner only, and stale temporary files of a killed emulator are removed", async () => {
    const dir = tempDirForTest("emulator-data-");
    const file = path.join(dir, "data.json");
    const stale = `${file}.12345.tmp`;
    writeFileSync(stale, "{ half written");
    emulator = await startTestEmulator({ dataFile: file });
    expect(existsSync(stale)).toBe(false);
    await emulator.api("POST", "/apps", emulator.organizationApiKey, { name: "kept" });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

/** An emulator command (dist/emulator/cli.js) on a free port, its data in `dataFile`, with an app "shop" and its key. */
async function startCli(dataFile: string): Promise<{ run: Started; url: string; appId: string; appKey: string }> {
  const run = startNode(EMULATOR_CLI, [
    "--port",
    "0",
    "--data",
    dataFile,
    "--organization-api-key",
    ORG,
    "--app",
    "shop",
  ]);
  running.push(run);
  await waitFor(() => /^App "shop"/m.test(run.stdout()) || run.child.exitCode !== null);
  const url = /listening on (\S+)/.exec(run.stdout())?.[1];
  const app = /^App "shop": id (\S+), app API key (\S+)$/m.exec(run.stdout());
  if (!url || !app) throw new Error(`the emulator did not start: ${run.stdout()}${run.stderr()}`);
  return { run, url, appId: app[1] as string, appKey: app[2] as string };
}

/** SIGTERM, resolving to the exit code. */
async function stopCli(run: Started): Promise<number | null> {
  run.child.kill("SIGTERM");
  return run.exited;
}

/** A request with a key (and a JSON body, given as text so that it may nest past what JSON.stringify can write). */
async function call(
  url: string,
  method: string,
  path: string,
  key: string | null,
  body?: string,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(key === null ? {} : { authorization: `Key ${key}` }) },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: response.headers };
}

const NOW = "2026-01-01T00:00:00.000Z";
const APP = { id: "a", organizationId: "o", name: "shop", createdAt: NOW, updatedAt: NOW, settings: {} };
const KEY = {
  tokenId: "t",
  appId: "a",
  name: "k",
  ipAllowlistMode: "disabled",
  ipAllowlist: [],
  createdAt: NOW,
  updatedAt: NOW,
  tokenHash: "h",
};
const SEGMENT = { id: "s", appId: "a", name: "S", description: null, filters: [], createdAt: NOW, updatedAt: NOW };
const DEVICE = {
  ...Object.fromEntries(
    ["subscriptionType", "externalUserId", "userId", "language", "timezone", "country", "gameVersion"].map((field) => [
      field,
      null,
    ]),
  ),
  ...Object.fromEntries(
    ["deviceModel", "deviceOs", "adId", "sdk", "lat", "long", "testType"].map((field) => [field, null]),
  ),
  id: "d",
  appId: "a",
  deviceType: 1,
  identifier: "token",
  tags: { level: "3" },
  sessionCount: 1,
  sessionTime: 0,
  amountSpent: 0,
  lastActive: 1_767_225_600,
  createdAt: 1_767_225_600,
  notificationTypes: 1,
  badgeCount: 0,
};
const NOTIFICATION = {
  id: "n",
  appId: "a",
  kind: 1,
  request: { contents: { en: "hi" } },
  channel: "push",
  queuedAt: 1_767_225_600,
  sendAfter: null,
  completedAt: 1_767_225_600,
  canceled: false,
  recipients: ["d"],
  successful: 1,
  failed: 0,
  errored: 0,
  converted: 0,
  received: 0,
  remaining: 0,
  idempotencyKey: null,
};

/** A version 1 data file's text: an organization, the clock as it is, no apps or keys, then `fields`. */
function v1(fields: Record<string, unknown>): string {
  return JSON.stringify({
    version: 1,
    organization: { id: "o", apiKey: "k" },
    clockOffsetMs: 0,
    apps: [],
    apiKeys: [],
    ...fields,
  });
}

const EMULATOR_CLI = "dist/emulator/cli.js";
const ORG = "os_v2_org_robustness";
const running: Started[] = [];
afterEach(async () => {
  for (const run of running.splice(0)) if (run.child.exitCode === null) await stopCli(run);
});

describe("bad input never breaks the data file (the emulator command, SIGTERM, a restart)", () => {
  it("refuses a body nested 6,000 deep in a template, a notification or user properties, naming the field", async () => {
    const dataFile = path.join(tempDirForTest("emulator-deep-"), "data.json");
    const first = await startCli(dataFile);
    // 12 KB of JSON, 6,000 levels deep (written as text: too deep for JSON.stringify in this process as well).
    const deep = `${"[".repeat(6000)}${"]".repeat(6000)}`;
    const refusals = [
      ["POST", "/templates", `{"app_id":"${first.appId}","name":"deep","contents":{"en":"hi"},"data":${deep}}`, "data"],
      [
        "POST",
        "/notifications",
        `{"app_id":"${first.appId}","included_segments":["Subscribed Users"],"contents":{"en":"hi"},"data":${deep}}`,
        "data",
      ],
      [
        "POST",
        `/apps/${first.appId}/users`,
        `{"identity":{"external_id":"u1"},"properties":{"tags":${deep}}}`,
        "properties",
      ],
    ] as const;
    for (const [method, route, body, field] of refusals) {
      const refusal = `The request body is nested deeper than 64 levels (in ${field})`;
      // The Users API's 400 items carry a code and a title.
      const item = route.includes("/users") ? { code: "bad-request", title: refusal } : refusal;
      expect(await call(first.url, method, route, first.appKey, body)).toMatchObject({
        status: 400,
        body: { errors: [item] },
      });
    }
    const after = await call(
      first.url,
      "POST",
      "/templates",
      first.appKey,
      JSON.stringify({
        app_id: first.appId,
        name: "after",
        contents: { en: "hi" },
        data: { nested: { a: [1, 2] } },
      }),
    );
    expect(after.status).toBe(200);
    expect(await stopCli(first.run)).toBe(0);

    const second = await startCli(dataFile);
    const templates = await call(second.url, "GET", `/templates?app_id=${second.appId}`, second.appKey);
    expect(second.appId).toBe(first.appId);
    expect((templates.body as { templates: { name: string }[] }).templates.map((template) => template.name)).toEqual([
      "after",
    ]);
    expect((await call(second.url, "GET", `/apps/${first.appId}/users/by/external_id/u1`, second.appKey)).status).toBe(
      404,
    );
    expect(await stopCli(second.run)).toBe(0);
  });

  it("refuses a clock advance past 100 years, or past the end of year 9999, and restarts on the moved clock", async () => {
    const dataFile = path.join(tempDirForTest("emulator-clock-"), "data.json");
    const first = await startCli(dataFile);
    const advance = (advanceMs: number) =>
      call(first.url, "POST", "/_emulator/clock", null, JSON.stringify({ advanceMs }));
    expect(await advance(1e300)).toMatchObject({
      status: 400,
      body: { errors: ["advanceMs must be a number of milliseconds from 0 to 3153600000000 (100 years)"] },
    });
    // Every create answers, stamped with a real date, and reaches the data file.
    const created = await call(first.url, "POST", "/apps", ORG, JSON.stringify({ name: "after-clock" }));
    expect(created.status).toBe(200);
    expect(Date.parse((created.body as { created_at: string }).created_at)).not.toBeNaN();
    // A hundred years at a time, up to the end of year 9999, and not a millisecond past it.
    let moved = await advance(3_153_600_000_000);
    while (moved.status === 200) moved = await advance(3_153_600_000_000);
    expect(moved.status).toBe(400);
    expect((moved.body as { errors: string[] }).errors[0]).toMatch(
      /^advanceMs would move the clock past the end of year 9999; it can move \d+ ms more$/,
    );
    const late = await call(first.url, "POST", "/apps", ORG, JSON.stringify({ name: "late" }));
    expect(late.status).toBe(200);
    expect((late.body as { created_at: string }).created_at).toMatch(/^99\d\d-/);
    expect(await stopCli(first.run)).toBe(0);

    const second = await startCli(dataFile);
    const apps = await call(second.url, "GET", "/apps", ORG);
    expect((apps.body as { name: string }[]).map((app) => app.name)).toEqual(["shop", "after-clock", "late"]);
    const clock = await call(second.url, "GET", "/_emulator/clock", null);
    expect((clock.body as { now: string }).now).toMatch(/^99\d\d-/);
    expect(await stopCli(second.run)).toBe(0);
  });

  it("refuses a rate limit slower than 0.01 a second, so Retry-After stays a whole number of seconds", async () => {
    const dataFile = path.join(tempDirForTest("emulator-rate-"), "data.json");
    const first = await startCli(dataFile);
    const limit = (spec: Record<string, unknown>) =>
      call(first.url, "POST", "/_emulator/rate-limits", null, JSON.stringify(spec));
    expect(await limit({ requestsPerSecond: 1e-300 })).toMatchObject({
      status: 400,
      body: { errors: ["requestsPerSecond must be a number from 0.01 to 1000000"] },
    });
    expect(await limit({ requestsPerSecond: 2, burst: 1e300 })).toMatchObject({
      status: 400,
      body: { errors: ["burst must be a number from 1 to 1000000"] },
    });
    // The slowest limit allowed: one request, then a wait of at most 100 whole seconds.
    expect((await limit({ appId: first.appId, requestsPerSecond: 0.01, burst: 1 })).status).toBe(201);
    const view = () => call(first.url, "GET", `/apps/${first.appId}/segments`, first.appKey);
    // (OneSignal answers its segment list with a 201.)
    expect((await view()).status).toBe(201);
    const limited = await view();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^(100|[1-9]\d?)$/);
    expect((await call(first.url, "POST", "/apps", ORG, JSON.stringify({ name: "after-rate" }))).status).toBe(200);
    expect(await stopCli(first.run)).toBe(0);

    const second = await startCli(dataFile);
    const apps = await call(second.url, "GET", "/apps", ORG);
    expect((apps.body as { name: string }[]).map((app) => app.name)).toEqual(["shop", "after-rate"]);
    expect(await stopCli(second.run)).toBe(0);
  });

  it("refuses a data file of the wrong shape, of any version, naming the file and what is wrong", async () => {
    const dir = tempDirForTest("emulator-shape-");
    const dataFile = path.join(dir, "data.json");
    // The shape of the tester's file: version 1, `apps` not a list.
    writeFileSync(
      dataFile,
      JSON.stringify({ version: 1, organization: { id: "o", apiKey: "k" }, clockOffsetMs: 0, apps: {} }),
    );
    const run = startNode(EMULATOR_CLI, ["--port", "0", "--data", dataFile]);
    running.push(run);
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toBe(
      `onesignal-emulator: The emulator data file ${dataFile} is not a version 1 emulator snapshot (apps is not a list); move it away to start fresh.\n`,
    );
  });

  it.each([
    ["a list", "[]", "it holds a list, not an object"],
    ["no version", JSON.stringify({ apps: [] }), "it has no version"],
    ["version 2", JSON.stringify({ version: 2, apps: {} }), "its version is 2; this emulator reads version 1"],
    [
      "no organization",
      JSON.stringify({ version: 1, clockOffsetMs: 0, apps: [], apiKeys: [] }),
      "organization is missing",
    ],
    [
      "a clock past year 9999",
      v1({ clockOffsetMs: 1e300 }),
      "clockOffsetMs is not a number of milliseconds the clock can hold (from 0 to the end of year 9999)",
    ],
    ["an app without a name", v1({ apps: [{ ...APP, name: undefined }] }), "apps[0].name is missing"],
    [
      "a key of an unknown allowlist mode",
      v1({ apiKeys: [{ ...KEY, ipAllowlistMode: "open" }] }),
      "apiKeys[0].ipAllowlistMode is not one of disabled, explicit",
    ],
    [
      "a tag that is a number",
      v1({ devices: [{ ...DEVICE, tags: { level: 3 } }] }),
      "devices[0].tags.level is not a string",
    ],
    [
      "a time past any date",
      v1({ devices: [{ ...DEVICE, lastActive: 1e300 }] }),
      "devices[0].lastActive is not a Unix time in seconds",
    ],
    [
      "filters that are not a list",
      v1({ segments: [{ ...SEGMENT, filters: {} }] }),
      "segments[0].filters is not a list",
    ],
    [
      "a notification of no channel",
      v1({ notifications: [{ ...NOTIFICATION, channel: "fax" }] }),
      "notifications[0].channel is not one of push, email, sms",
    ],
    [
      // Written as text: JSON.stringify cannot write it, which is why the emulator must not load it.
      "a value nested 6,000 deep",
      v1({ users: [{ id: "u", appId: APP.id, aliases: {}, properties: "DEEP" }] }).replace(
        '"DEEP"',
        `${"[".repeat(6000)}${"]".repeat(6000)}`,
      ),
      "users is nested deeper than 72 levels",
    ],
  ])("refuses a data file with %s, saying so", async (_name, text, problem) => {
    const dataFile = path.join(tempDirForTest("emulator-shape-"), "data.json");
    writeFileSync(dataFile, text);
    await expect(startTestEmulator({ dataFile })).rejects.toThrow(
      `The emulator data file ${dataFile} is not a version 1 emulator snapshot (${problem}); move it away to start fresh.`,
    );
  });

  it("loads a data file of the records it wrote itself, the same as the one it read", async () => {
    const dataFile = path.join(tempDirForTest("emulator-shape-"), "data.json");
    const text = v1({
      apps: [APP],
      apiKeys: [KEY],
      segments: [SEGMENT],
      devices: [DEVICE],
      notifications: [NOTIFICATION],
    });
    writeFileSync(dataFile, text);
    emulator = await startTestEmulator({ dataFile });
    await emulator.close();
    emulator = undefined;
    // Written back as read, with the lists the file did not have, empty.
    expect(JSON.parse(readFileSync(dataFile, "utf8"))).toEqual({
      ...(JSON.parse(text) as Record<string, unknown>),
      templates: [],
      users: [],
      idempotency: [],
    });
  });
});

describe("admin and stored values stay within what the emulator can answer and write", () => {
  it.each([
    [{ status: 99 }, "status must be a whole number from 200 to 599"],
    [{ status: 200.5 }, "status must be a whole number from 200 to 599"],
    [{ status: 429, retryAfter: 1e300 }, "retryAfter must be a whole number from 0 to 86400"],
    [{ delayMs: 1e300 }, "delayMs must be a number from 0 to 600000"],
    [{ status: 503, times: 1e300 }, "times must be a whole number from 1 to 1000000"],
    [
      { status: 422, body: "<html/>", contentType: "text/html\r\nX-Injected: 1" },
      "contentType must be a valid header value (no line breaks or control characters)",
    ],
  ])("refuses the fault %j by name, and the route it aimed at still answers", async (spec, message) => {
    emulator = await startTestEmulator();
    const refused = await call(
      emulator.url,
      "POST",
      "/_emulator/faults",
      null,
      JSON.stringify({ method: "GET", path: "/apps", ...spec }),
    );
    expect(refused).toMatchObject({ status: 400, body: { errors: [message] } });
    expect((await emulator.api("GET", "/apps", emulator.organizationApiKey)).status).toBe(200);
  });

  it("refuses options it could not honour, by name, before it starts", async () => {
    await expect(startTestEmulator({ rateLimits: [{ appId: "*", requestsPerSecond: 1e-300 }] })).rejects.toThrow(
      "startEmulator: rateLimits[0]: requestsPerSecond must be a number from 0.01 to 1000000",
    );
    await expect(startTestEmulator({ latencyMs: 1e300 })).rejects.toThrow(
      "startEmulator: latencyMs must be a number of milliseconds from 0 to 600000",
    );
  });

  it("refuses a device time no date can hold, so the CSV export that writes it as a date still works", async () => {
    emulator = await startTestEmulator({ apps: ["shop"], exportDelayMs: 0 });
    const [app] = emulator.apps;
    if (!app) throw new Error("no start app");
    const add = (fields: Record<string, unknown>) =>
      emulator?.api("POST", "/players", app.apiKey, { app_id: app.id, device_type: 1, identifier: "t1", ...fields });
    expect(await add({ last_active: 1e300 })).toEqual({
      status: 400,
      body: { errors: ["last_active must be a Unix time in seconds"] },
    });
    expect((await add({ created_at: -1e300 }))?.body).toEqual({
      errors: ["created_at must be a Unix time in seconds"],
    });
    expect((await add({ last_active: 1_767_225_600 }))?.status).toBe(200);
    const exported = await emulator.api<{ csv_file_url: string }>(
      "POST",
      `/players/csv_export?app_id=${app.id}`,
      app.apiKey,
      {},
    );
    expect(exported.status).toBe(200);
    expect((await fetch(exported.body.csv_file_url)).status).toBe(200);
  });

  it("refuses user deltas that would add past what a number holds, and leaves the user as it was", async () => {
    emulator = await startTestEmulator({ apps: ["shop"] });
    const [app] = emulator.apps;
    if (!app) throw new Error("no start app");
    const user = `/apps/${app.id}/users/by/external_id/u1`;
    expect(
      (
        await emulator.api("POST", `/apps/${app.id}/users`, app.apiKey, {
          identity: { external_id: "u1" },
          properties: { language: "en" },
          subscriptions: [{ type: "AndroidPush", token: "t1" }],
        })
      ).status,
    ).toBe(201);
    const update = (deltas: Record<string, unknown>) =>
      emulator?.api("PATCH", user, app.apiKey, { properties: { language: "fr" }, deltas });
    expect(await update({ purchases: [{ sku: "a", amount: 1e308, iso: "USD", count: 2 }] })).toEqual({
      status: 400,
      body: {
        errors: [{ code: "bad-request", title: "deltas.purchases add up to an amount past what a number can hold" }],
      },
    });
    const language = async () =>
      (await emulator?.api<{ properties: { language: string } }>("GET", user, app.apiKey))?.body.properties.language;
    expect(await language()).toBe("en");
    expect((await update({ session_count: 1.7e308 }))?.status).toBe(202);
    expect((await update({ session_count: 1.7e308 }))?.body).toEqual({
      errors: [
        { code: "bad-request", title: "deltas.session_count takes a session count past what a number can hold" },
      ],
    });
    const viewed = await emulator.api<{ properties: { language: string }; subscriptions: { session_count: number }[] }>(
      "GET",
      user,
      app.apiKey,
    );
    expect(viewed.body.properties.language).toBe("fr");
    expect(viewed.body.subscriptions[0]?.session_count).toBe(1.7e308 + 1);
  });
});
