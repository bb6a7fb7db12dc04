import { beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator } from "../support/emulator";
import { useEmulator } from "../support/use-emulator";

const { emulator } = useEmulator({ resetEach: true });
let org: string;

beforeAll(() => {
  org = emulator.organizationApiKey;
});

describe("GET /_emulator/requests", () => {
  it("logs method, path, status and duration, oldest first, never header values, never admin calls", async () => {
    await emulator.api("POST", "/apps", org, { name: "a" });
    await emulator.api("GET", "/apps", "wrong");
    const log = await emulator.requests();
    expect(log.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: "POST", path: "/apps", status: 200 },
      { method: "GET", path: "/apps", status: 403 },
    ]);
    for (const entry of log) {
      expect(Object.keys(entry).sort()).toEqual(["durationMs", "method", "path", "status"]);
      expect(entry.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(JSON.stringify(log)).not.toContain(org);
  });
});

describe("POST /_emulator/faults", () => {
  it("answers the next matching requests with the status and Retry-After, then serves normally", async () => {
    await emulator.fault({ method: "GET", path: "/apps", status: 429, retryAfter: 2, times: 2 });
    const first = await fetch(`${emulator.url}/apps`, { headers: { authorization: `Key ${org}` } });
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("2");
    expect(await first.json()).toEqual({ errors: ["API rate limit exceeded"] });
    expect((await emulator.api("GET", "/apps", org)).status).toBe(429);
    expect((await emulator.api("GET", "/apps", org)).status).toBe(200);
  });

  it("matches by method and path prefix, * matching any", async () => {
    await emulator.fault({ method: "*", path: "/apps/", status: 503, times: 1 });
    expect((await emulator.api("GET", "/apps", org)).status).toBe(200);
    expect(await emulator.api("GET", "/apps/x", org)).toEqual({
      status: 503,
      body: { errors: ["Service temporarily unavailable"] },
    });
    await emulator.fault({ method: "PUT", path: "*", status: 500, times: 1 });
    expect((await emulator.api("GET", "/apps", org)).status).toBe(200);
  });

  it("drops the connection before carrying the request out", async () => {
    await emulator.fault({ method: "POST", path: "/apps", reset: true, times: 1 });
    await expect(emulator.api("POST", "/apps", org, { name: "dropped" })).rejects.toThrow();
    expect((await emulator.api<unknown[]>("GET", "/apps", org)).body).toHaveLength(0);
    expect((await emulator.requests())[0]).toMatchObject({ method: "POST", status: 0 });
  });

  it("with afterCommit, carries the request out and then drops the connection", async () => {
    await emulator.fault({ method: "POST", path: "/apps", afterCommit: true, times: 1 });
    await expect(emulator.api("POST", "/apps", org, { name: "committed" })).rejects.toThrow();
    const apps = (await emulator.api<{ name: string }[]>("GET", "/apps", org)).body;
    expect(apps.map((app) => app.name)).toEqual(["committed"]);
  });

  it("delays a request by delayMs", async () => {
    await emulator.fault({ method: "GET", path: "/apps", delayMs: 300, times: 1 });
    const started = Date.now();
    expect((await emulator.api("GET", "/apps", org)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("with endOnClose, ends a ten-minute delay or held answer as soon as the client closes its connection", async () => {
    for (const [name, hold] of [
      ["delayed", { delayMs: 600_000 }],
      ["held", { holdAnswerMs: 600_000 }],
    ] as const) {
      await emulator.fault({ method: "POST", path: "/apps", endOnClose: true, times: 1, ...hold });
      const gone = new AbortController();
      const sent = fetch(`${emulator.url}/apps`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Key ${org}` },
        body: JSON.stringify({ name }),
        signal: gone.signal,
      });
      await emulator.waitForFaults();
      gone.abort();
      await expect(sent).rejects.toThrow();
      // Once its client is gone the request is carried out (a killed deployment's create lands) and logged.
      const posted = async () => (await emulator.requests()).filter((entry) => entry.method === "POST");
      while ((await posted()).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await posted()).toMatchObject([{ path: "/apps", status: 0 }]);
      expect((await emulator.api<{ name: string }[]>("GET", "/apps", org)).body.map((app) => app.name)).toEqual([name]);
      await fetch(`${emulator.url}/_emulator/reset`, { method: "POST" });
    }
    const lone = await fetch(`${emulator.url}/_emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ path: "/apps", status: 500, endOnClose: true }),
    });
    expect(lone.status).toBe(400);
    expect(await lone.json()).toEqual({ errors: ["endOnClose needs delayMs or holdAnswerMs"] });
  });

  it("answers with the given status and body, JSON or typed text, without carrying the request out", async () => {
    await emulator.fault({ method: "POST", path: "/apps", status: 202, body: { accepted: true } });
    expect(await emulator.api("POST", "/apps", org, { name: "never made" })).toEqual({
      status: 202,
      body: { accepted: true },
    });
    expect(await emulator.api("GET", "/apps", org)).toEqual({ status: 200, body: [] });
    await emulator.fault({
      method: "GET",
      path: "/apps",
      status: 422,
      body: "<html>no</html>",
      contentType: "text/html",
    });
    const page = await fetch(`${emulator.url}/apps`, { headers: { authorization: `Key ${org}` } });
    expect(page.status).toBe(422);
    expect(page.headers.get("content-type")).toBe("text/html");
    expect(await page.text()).toBe("<html>no</html>");
  });

  it("refuses a malformed fault, and DELETE clears them all", async () => {
    const bad = await fetch(`${emulator.url}/_emulator/faults`, { method: "POST", body: JSON.stringify({ times: 0 }) });
    expect(bad.status).toBe(400);
    const bodyless = await fetch(`${emulator.url}/_emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ path: "/apps", body: { a: 1 } }),
    });
    expect(bodyless.status).toBe(400);
    expect(await bodyless.json()).toEqual({ errors: ["body and contentType need a status to answer with"] });
    await emulator.fault({ method: "*", path: "*", status: 500, times: 5 });
    await fetch(`${emulator.url}/_emulator/faults`, { method: "DELETE" });
    expect((await emulator.api("GET", "/apps", org)).status).toBe(200);
  });
});

describe("POST /_emulator/reset and /_emulator/clock", () => {
  it("reset forgets all state and the log but keeps the organization", async () => {
    await emulator.api("POST", "/apps", org, { name: "a" });
    await fetch(`${emulator.url}/_emulator/reset`, { method: "POST" });
    expect(await emulator.requests()).toEqual([]);
    expect((await emulator.api<unknown[]>("GET", "/apps", org)).body).toEqual([]);
  });

  it("the clock moves forward by advanceMs and stamps new objects with its time", async () => {
    const moved = await fetch(`${emulator.url}/_emulator/clock`, {
      method: "POST",
      body: JSON.stringify({ advanceMs: 86_400_000 }),
    });
    const { now } = (await moved.json()) as { now: string };
    expect(Date.parse(now) - Date.now()).toBeGreaterThan(86_000_000);
    const app = await emulator.api<{ created_at: string }>("POST", "/apps", org, { name: "later" });
    expect(Date.parse(app.body.created_at) - Date.now()).toBeGreaterThan(86_000_000);
    const bad = await fetch(`${emulator.url}/_emulator/clock`, {
      method: "POST",
      body: JSON.stringify({ advanceMs: -1 }),
    });
    expect(bad.status).toBe(400);
  });
});

describe("latencyMs", () => {
  it("adds a round trip to every API request, not to the admin endpoints", async () => {
    const slow = await startTestEmulator({ latencyMs: 150 });
    try {
      let started = Date.now();
      expect((await slow.api("GET", "/apps", slow.organizationApiKey)).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      started = Date.now();
      await slow.requests();
      expect(Date.now() - started).toBeLessThan(140);
    } finally {
      await slow.close();
    }
  });
});
