import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { createAppWithKey } from "../support/fixtures";
import { runNode } from "../support/processes";

const CLI = "dist/provider/cli/index.js";
let emulator: TestEmulator;
let appId: string;
let env: NodeJS.ProcessEnv;
let dir: string;

beforeAll(async () => {
  emulator = await startTestEmulator({ exportDelayMs: 300 });
  const created = await createAppWithKey(emulator);
  appId = created.appId;
  env = { ONESIGNAL_API_URL: emulator.url, ONESIGNAL_APP_API_KEY: created.appKey, ONESIGNAL_APP_ID: appId };
  dir = mkdtempSync(path.join(tmpdir(), "cli-devices-"));
});
afterAll(async () => emulator.close());

async function count(): Promise<number> {
  const page = await emulator.api<{ total_count: number }>(
    "GET",
    `/players?app_id=${appId}&limit=1`,
    env.ONESIGNAL_APP_API_KEY as string,
  );
  return page.body.total_count;
}

describe("pulumi-onesignal devices and device", () => {
  it("imports a CSV with a progress bar and a summary, and writes the bad rows to a file", async () => {
    const file = path.join(dir, "devices.csv");
    const lines = ["device_type,identifier,external_user_id,tag:plan,language"];
    for (let index = 0; index < 30; index++) lines.push(`android,fcm-${index},user-${index},pro,en`);
    lines.push("email,not-an-email,,,en");
    lines.push("fax,123,,,en");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const result = await runNode(CLI, ["devices", "import", file], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`Imported 30 of 32 devices; 2 failed: see ${file}.failed.csv`);
    expect(result.stderr).toContain("importing");
    const failed = readFileSync(`${file}.failed.csv`, "utf8").trim().split("\n");
    expect(failed[0]).toBe("device_type,identifier,external_user_id,tag:plan,language,error");
    expect(failed.slice(1).join("\n")).toContain("not-an-email");
    expect(failed.slice(1).join("\n")).toContain('deviceType ""fax"" is not a OneSignal device type');
    expect(await count()).toBe(30);
    // The same file again changes nothing: every device is found by its identifier.
    const again = await runNode(
      CLI,
      ["--json", "devices", "import", file, "--failed-out", path.join(dir, "again.csv")],
      env,
    );
    expect(JSON.parse(again.stdout)).toMatchObject({ total: 32, succeeded: 30, failed: 2 });
    expect(await count()).toBe(30);
  });

  it("upserts and gets one device", async () => {
    const upserted = await runNode(
      CLI,
      ["device", "upsert", "--device-type", "ios", "--identifier", "abc123", "--tag", "plan=pro", "--tag", "beta=1"],
      env,
    );
    expect(upserted.code).toBe(0);
    const id = upserted.stdout.trim();
    const shown = await runNode(CLI, ["--json", "device", "get", id], env);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id, deviceTypeName: "ios", tags: { plan: "pro", beta: "1" } });
    const text = await runNode(CLI, ["device", "get", id], env);
    expect(text.stdout).toContain("identifier: abc123");
  });

  it("exports to a file", async () => {
    const out = path.join(dir, "export.csv");
    const result = await runNode(CLI, ["devices", "export", "--out", out, "--extra-fields", "country"], env);
    expect(result.code).toBe(0);
    const rows = readFileSync(out, "utf8").trim().split("\n");
    expect(rows.length - 1).toBe(await count());
    expect(result.stdout.trim()).toBe(`Wrote ${rows.length - 1} devices to ${out}`);
  });

  it("exits 2 with what to do on bad usage, 1 with OneSignal's text when refused", async () => {
    const noId = await runNode(CLI, ["device", "upsert", "--device-type", "ios"], env);
    expect(noId.code).toBe(2);
    expect(noId.stderr).toContain("Give --id, --identifier or --external-id");
    const badType = await runNode(CLI, ["device", "upsert", "--device-type", "pager", "--identifier", "x"], env);
    expect(badType.code).toBe(2);
    const noApp = await runNode(CLI, ["device", "get", "x"], { ...env, ONESIGNAL_APP_ID: "" });
    expect(noApp.code).toBe(2);
    expect(noApp.stderr).toContain("--app-id");
    const refused = await runNode(CLI, ["device", "get", "missing-id"], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("OneSignal answered 400 to GET /players/missing-id: No user with this id found");
    expect(refused.stderr).not.toContain(env.ONESIGNAL_APP_API_KEY as string);
  });
});
