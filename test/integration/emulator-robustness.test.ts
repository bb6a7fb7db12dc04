import { existsSync, statSync, writeFileSync } from "node:fs";
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
});
