import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Store } from "../../emulator/store";
import { startTestEmulator } from "../support/emulator";
import { startNode, waitFor } from "../support/processes";

const EMULATOR_CLI = "dist/emulator/cli.js";
let dir: string;

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("--data persistence", () => {
  it("keeps apps, keys and the organization across a restart", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "emulator-data-"));
    const dataFile = path.join(dir, "state.json");
    const first = await startTestEmulator({ dataFile });
    const org = first.organizationApiKey;
    const app = await first.api<{ id: string }>("POST", "/apps", org, { name: "kept" });
    const key = await first.api<{ formatted_token: string }>("POST", `/apps/${app.body.id}/auth/tokens`, org, {
      name: "k",
    });
    const appKey = key.body.formatted_token;
    const device = await first.api<{ id: string }>("POST", "/players", appKey, {
      app_id: app.body.id,
      device_type: 1,
      identifier: "kept-token",
      external_user_id: "u-1",
    });
    const segment = await first.api<{ id: string }>("POST", `/apps/${app.body.id}/segments`, appKey, {
      name: "Kept",
      filters: [{ field: "language", relation: "=", value: "en" }],
    });
    const sent = await first.api<{ id: string }>("POST", "/notifications", appKey, {
      app_id: app.body.id,
      include_player_ids: [device.body.id],
      contents: { en: "kept" },
    });
    await first.close();

    // The data file never holds an app key in clear.
    expect(readFileSync(dataFile, "utf8")).not.toContain(key.body.formatted_token);

    const second = await startTestEmulator({ dataFile });
    try {
      expect(second.organizationApiKey).toBe(org);
      expect(second.organizationId).toBe(first.organizationId);
      expect((await second.api<{ name: string }>("GET", `/apps/${app.body.id}`, org)).body.name).toBe("kept");
      expect((await second.api("GET", `/apps/${app.body.id}`, appKey)).status).toBe(200);
      expect((await second.api("GET", `/players/${device.body.id}?app_id=${app.body.id}`, appKey)).status).toBe(200);
      expect((await second.api("GET", `/apps/${app.body.id}/users/by/external_id/u-1`, appKey)).status).toBe(200);
      expect((await second.api("GET", `/apps/${app.body.id}/segments/${segment.body.id}`, appKey)).status).toBe(200);
      const notification = await second.api<{ successful: number }>(
        "GET",
        `/notifications/${sent.body.id}?app_id=${app.body.id}`,
        appKey,
      );
      expect(notification.body.successful).toBe(1);
    } finally {
      await second.close();
    }
  });

  it("the CLI prints its address first, and a SIGTERM loses nothing that was answered", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "emulator-cli-"));
    const dataFile = path.join(dir, "state.json");
    const orgKey = "os_v2_org_test_key";
    const run = startNode(EMULATOR_CLI, ["--port", "0", "--data", dataFile, "--organization-api-key", orgKey]);
    await waitFor(() => run.stdout().split("\n").length > 3);
    const lines = run.stdout().split("\n");
    const match = /^OneSignal emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0] ?? "");
    expect(match, run.stdout()).not.toBeNull();
    const url = match?.[1] as string;
    expect(lines[1]).toMatch(/^Organization id: [0-9a-f-]{36}$/);
    expect(lines[2]).toBe(`Organization API key: ${orgKey}`);

    // Fire many writes, then SIGTERM at once: every answered one must survive.
    const names = Array.from({ length: 40 }, (_, index) => `app-${index}`);
    const answered = await Promise.all(
      names.map(async (name) => {
        const response = await fetch(`${url}/apps`, {
          method: "POST",
          headers: { authorization: `Key ${orgKey}`, "content-type": "application/json" },
          body: JSON.stringify({ name }),
        });
        return response.status === 200 ? name : undefined;
      }),
    );
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);

    const restarted = startNode(EMULATOR_CLI, ["--port", "0", "--data", dataFile]);
    try {
      await waitFor(() => restarted.stdout().split("\n").length > 3);
      const restartedUrl = /listening on (\S+)/.exec(restarted.stdout())?.[1] as string;
      expect(restarted.stdout()).toContain(`Organization API key: ${orgKey}`);
      const list = await fetch(`${restartedUrl}/apps`, { headers: { authorization: `Key ${orgKey}` } });
      const apps = (await list.json()) as { name: string }[];
      expect(apps.map((app) => app.name).sort()).toEqual(answered.filter(Boolean).sort());
      expect(apps).toHaveLength(40);
    } finally {
      restarted.child.kill("SIGTERM");
      await restarted.exited;
    }
  });

  it("makes the folder of its --data file, so a new path works on the first run", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "emulator-new-dir-"));
    const dataFile = path.join(dir, "new", "dir", "state.json");
    const run = startNode(EMULATOR_CLI, ["--port", "0", "--data", dataFile, "--organization-api-key", "os_v2_org_k"]);
    try {
      await waitFor(() => run.stdout().split("\n").length > 3);
      const url = /listening on (\S+)/.exec(run.stdout())?.[1] as string;
      const created = await fetch(`${url}/apps`, {
        method: "POST",
        headers: { authorization: "Key os_v2_org_k", "content-type": "application/json" },
        body: JSON.stringify({ name: "first" }),
      });
      expect(created.status).toBe(200);
      expect((JSON.parse(readFileSync(dataFile, "utf8")) as { apps: { name: string }[] }).apps).toEqual([
        expect.objectContaining({ name: "first" }),
      ]);
    } finally {
      run.child.kill("SIGTERM");
    }
    expect(await run.exited).toBe(0);
  });

  it("refuses a data file that is not an emulator snapshot, saying what to do", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "emulator-bad-"));
    const dataFile = path.join(dir, "state.json");
    writeFileSync(dataFile, "{ not json");
    const run = startNode(EMULATOR_CLI, ["--port", "0", "--data", dataFile]);
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain("is not valid JSON");
    expect(run.stderr()).toContain("move it away");
  });
});

describe("a state that cannot be written", () => {
  it("is undone from the data file and its write fails, so later writes still reach the file", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "emulator-unwritable-"));
    const dataFile = path.join(dir, "state.json");
    const store = new Store({ dataFile });
    store.ensureStartApp("kept");
    await store.persist();
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      // No request can store such a value (bodies are JSON, checked for depth, numbers for range): this stands for
      // a defect that would let one through, which must cost that write, not every later one.
      store.ensureStartApp("broken");
      const broken = [...store.apps.values()].find((app) => app.name === "broken");
      if (broken) broken.settings.size = 10n;
      await expect(store.persist()).rejects.toThrow(
        "the state could not be written (TypeError: Do not know how to serialize a BigInt); the changes since the last write were undone",
      );
      expect([...store.apps.values()].map((app) => app.name)).toEqual(["kept"]);
      store.ensureStartApp("later");
      await store.persist();
      const saved = JSON.parse(readFileSync(dataFile, "utf8")) as { apps: { name: string }[] };
      expect(saved.apps.map((app) => app.name)).toEqual(["kept", "later"]);
      expect(stderr.mock.calls.map(([text]) => String(text)).join("")).toContain(`could not write ${dataFile}`);
    } finally {
      stderr.mockRestore();
    }
    const reloaded = new Store({ dataFile });
    expect([...reloaded.apps.values()].map((app) => app.name)).toEqual(["kept", "later"]);
  });
});
