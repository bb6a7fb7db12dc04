import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import * as path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
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

  it("refuses a body nested past 64 levels with a 400, and later writes still reach the data file", async () => {
    const file = path.join(tempDirForTest("emulator-deep-"), "data.json");
    emulator = await startTestEmulator({ dataFile: file });
    const org = emulator.organizationApiKey;
    const app = await emulator.api<{ id: string }>("POST", "/apps", org, { name: "shop" });
    const key = (
      await emulator.api<{ formatted_token: string }>("POST", `/apps/${app.body.id}/auth/tokens`, org, { name: "k" })
    ).body.formatted_token;
    // 12 KB of JSON, 6,000 levels deep, in a template's data (written as text: too deep for JSON.stringify here).
    const data = `${'{"d":'.repeat(6000)}"bottom"${"}".repeat(6000)}`;
    const response = await fetch(`${emulator.url}/templates`, {
      method: "POST",
      headers: { authorization: `Key ${key}`, "content-type": "application/json" },
      body: `{"app_id":"${app.body.id}","name":"deep","contents":{"en":"hi"},"data":${data}}`,
    });
    const deep = { status: response.status, body: (await response.json()) as { errors: string[] } };
    expect(deep.status).toBe(400);
    expect(deep.body.errors).toEqual(["The request body is nested deeper than 64 levels"]);
    const after = await emulator.api("POST", "/apps", org, { name: "after" });
    expect(after.status).toBe(200);
    await emulator.close();
    emulator = undefined;
    const saved = JSON.parse(readFileSync(file, "utf8")) as { apps: { name: string }[] };
    expect(saved.apps.map((saved) => saved.name)).toEqual(["shop", "after"]);
  });

  it("bounds the clock and the rate limits an admin may set, so no later answer breaks", async () => {
    emulator = await startTestEmulator();
    const admin = (route: string, body: unknown) =>
      fetch(`${emulator?.url}${route}`, { method: "POST", body: JSON.stringify(body) }).then(async (response) => ({
        status: response.status,
        text: await response.text(),
      }));
    const far = await admin("/_emulator/clock", { advanceMs: 1e300 });
    expect(far.status).toBe(400);
    expect(far.text).toContain("advanceMs must be a number of milliseconds from 0 to");
    const slow = await admin("/_emulator/rate-limits", { requestsPerSecond: 1e-300 });
    expect(slow.status).toBe(400);
    expect(slow.text).toContain("requestsPerSecond must be a number from 0.01 to 1000000");
    expect((await admin("/_emulator/rate-limits", { requestsPerSecond: 2, burst: 1e300 })).status).toBe(400);
    // The emulator still works: a create answers, stamped with a real date.
    const created = await emulator.api<{ created_at: string }>("POST", "/apps", emulator.organizationApiKey, {
      name: "still",
    });
    expect(created.status).toBe(200);
    expect(Number.isNaN(Date.parse(created.body.created_at))).toBe(false);
  });

  it("refuses a version 1 data file of the wrong shape, saying what is wrong and what to do", async () => {
    const file = path.join(tempDirForTest("emulator-shape-"), "data.json");
    writeFileSync(
      file,
      JSON.stringify({ version: 1, organization: { id: "o", apiKey: "k" }, clockOffsetMs: 0, apps: {} }),
    );
    await expect(startTestEmulator({ dataFile: file })).rejects.toThrow(
      `The emulator data file ${file} is not a version 1 emulator snapshot (apps is not a list); move it away to start fresh.`,
    );
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        organization: { id: "o", apiKey: "k" },
        clockOffsetMs: 1e300,
        apps: [],
        apiKeys: [],
      }),
    );
    await expect(startTestEmulator({ dataFile: file })).rejects.toThrow(
      "clockOffsetMs is not a number of milliseconds",
    );
  });
});
