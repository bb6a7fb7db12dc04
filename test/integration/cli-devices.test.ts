import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runNode } from "../support/processes";
import { useEmulatorApp } from "../support/use-emulator";

const CLI = "dist/provider/cli/index.js";
const { emulator, app } = useEmulatorApp({ emulator: { exportDelayMs: 300 } });
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "cli-devices-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function count(): Promise<number> {
  const page = await emulator.api<{ total_count: number }>("GET", `/players?app_id=${app.appId}&limit=1`, app.appKey);
  return page.body.total_count;
}

describe("pulumi-onesignal itself", () => {
  it("prints its version, and each command's help lists the global options", async () => {
    const version = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect((await runNode(CLI, ["--version"], app.env)).stdout.trim()).toBe(version);
    const help = await runNode(CLI, ["devices", "import", "--help"], app.env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Global Options:");
    expect(help.stdout).toContain("--api-key <key>");
  });
});

describe("pulumi-onesignal devices and device", () => {
  it("imports a CSV with a progress bar and a summary, and writes the bad rows to a file", async () => {
    const file = path.join(dir, "devices.csv");
    const lines = ["device_type,identifier,external_user_id,tag:plan,language"];
    for (let index = 0; index < 30; index++) lines.push(`android,fcm-${index},user-${index},pro,en`);
    lines.push("email,not-an-email,,,en");
    lines.push("fax,123,,,en");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const result = await runNode(CLI, ["devices", "import", file], app.env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`Imported 30 of 32 devices; 2 failed: see ${file}.failed.csv`);
    expect(result.stderr).toContain("importing");
    const failed = readFileSync(`${file}.failed.csv`, "utf8").trim().split("\n");
    expect(failed[0]).toBe("line,device_type,identifier,external_user_id,tag:plan,language,error");
    // Each failed row with the line it came from (the header is line 1).
    expect(failed[1]).toMatch(/^32,email,not-an-email,/);
    expect(failed[2]).toMatch(/^33,fax,123,/);
    expect(failed.slice(1).join("\n")).toContain("not-an-email");
    expect(failed.slice(1).join("\n")).toContain('deviceType ""fax"" is not a OneSignal device type');
    expect(await count()).toBe(30);
    // The same file again changes nothing: every device is found by its identifier.
    const again = await runNode(
      CLI,
      ["--json", "devices", "import", file, "--failed-out", path.join(dir, "again.csv")],
      app.env,
    );
    expect(JSON.parse(again.stdout)).toMatchObject({ total: 32, succeeded: 30, failed: 2 });
    expect(await count()).toBe(30);
  });

  it("imports what it exported, unchanged: every row round-trips", async () => {
    const out = path.join(dir, "round-trip.csv");
    expect(
      (await runNode(CLI, ["devices", "export", "--out", out, "--extra-fields", "external_user_id,country"], app.env))
        .code,
    ).toBe(0);
    const before = await count();
    const imported = await runNode(CLI, ["--json", "devices", "import", out], app.env);
    expect(imported.stderr).not.toContain("failed");
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ total: before, succeeded: before, failed: 0 });
    expect(await count()).toBe(before);
  });

  it("sends a ragged row to the failed rows with its line, and imports the rest", async () => {
    const file = path.join(dir, "ragged.csv");
    writeFileSync(file, "device_type,identifier\nandroid,ragged-1\nandroid,ragged-2,extra\nandroid,ragged-3\n");
    const result = await runNode(CLI, ["devices", "import", file], app.env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Imported 2 of 3 devices; 1 failed");
    expect(readFileSync(`${file}.failed.csv`, "utf8")).toBe(
      "line,device_type,identifier,error\n3,android,ragged-2,extra,has 3 fields; the header has 2\n",
    );
    // Mended and imported again: the earlier run's failed rows do not stay to mislead, by either name.
    writeFileSync(file, "device_type,identifier\nandroid,ragged-1\nandroid,ragged-2\nandroid,ragged-3\n");
    const named = path.join(dir, "ragged-failures.csv");
    writeFileSync(named, "line,device_type,identifier,error\n3,android,ragged-2,extra,old\n");
    const mended = await runNode(CLI, ["devices", "import", file], app.env);
    expect(mended.code, mended.stderr).toBe(0);
    expect(mended.stdout).toContain("Imported 3 of 3 devices.");
    expect(mended.stderr).toContain(
      `Removed ${file}.failed.csv: its rows failed in an earlier run, and none failed now.`,
    );
    expect(existsSync(`${file}.failed.csv`)).toBe(false);
    expect((await runNode(CLI, ["devices", "import", file, "--failed-out", named], app.env)).code).toBe(0);
    expect(readFileSync(named, "utf8")).toBe("line,device_type,identifier,error\n");
  });

  it("refuses, before any request, unknown columns (naming the nearest), an empty file, and a file of a header alone", async () => {
    const cases: [string, string][] = [
      [
        "device_typ,identifer\nandroid,x\n",
        'unknown column "device_typ" (did you mean "device_type"?); unknown column "identifer" (did you mean "identifier"?)',
      ],
      ["", "is empty"],
      ["device_type,identifier\n", "has a header and no devices"],
    ];
    for (const [content, message] of cases) {
      const file = path.join(dir, "refused.csv");
      writeFileSync(file, content);
      const requests = await emulator.requestsDuring(async () => {
        const result = await runNode(CLI, ["devices", "import", file], app.env);
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toContain(message);
      });
      expect(requests).toEqual([]);
    }
  });

  it("stops at the first refused key with one message, instead of a request per row", async () => {
    const file = path.join(dir, "many.csv");
    writeFileSync(
      file,
      ["device_type,identifier", ...Array.from({ length: 50 }, (_, i) => `android,key-${i}`)].join("\n"),
    );
    const requests = await emulator.requestsDuring(async () => {
      const result = await runNode(CLI, ["devices", "import", file, "--concurrency", "1"], {
        ...app.env,
        ONESIGNAL_APP_API_KEY: "os_v2_app_wrong",
      });
      expect(result.code).toBe(1);
      expect(
        result.stderr
          .trim()
          .split("\n")
          .filter((line) => line.startsWith("pulumi-onesignal:")),
      ).toHaveLength(1);
      expect(result.stderr).toMatch(/pulumi-onesignal: OneSignal answered 40[13]/);
    });
    expect(requests).toHaveLength(1);
  });

  it("upserts and gets one device", async () => {
    const upserted = await runNode(
      CLI,
      ["device", "upsert", "--device-type", "ios", "--identifier", "abc123", "--tag", "plan=pro", "--tag", "beta=1"],
      app.env,
    );
    expect(upserted.code).toBe(0);
    const id = upserted.stdout.trim();
    const shown = await runNode(CLI, ["--json", "device", "get", id], app.env);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id, deviceTypeName: "ios", tags: { plan: "pro", beta: "1" } });
    const text = await runNode(CLI, ["device", "get", id], app.env);
    expect(text.stdout).toContain("identifier: abc123");
  });

  it("exports to a file", async () => {
    const out = path.join(dir, "export.csv");
    const result = await runNode(CLI, ["devices", "export", "--out", out, "--extra-fields", "country"], app.env);
    expect(result.code).toBe(0);
    const rows = readFileSync(out, "utf8").trim().split("\n");
    expect(rows.length - 1).toBe(await count());
    expect(result.stdout.trim()).toBe(`Wrote ${rows.length - 1} devices to ${out}`);
  });

  it("exits 2 with what to do on bad usage, 1 with OneSignal's text when refused", async () => {
    const noId = await runNode(CLI, ["device", "upsert", "--device-type", "ios"], app.env);
    expect(noId.code).toBe(2);
    expect(noId.stderr).toContain("Give --id, --identifier or --external-id");
    const badType = await runNode(CLI, ["device", "upsert", "--device-type", "pager", "--identifier", "x"], app.env);
    expect(badType.code).toBe(2);
    const noApp = await runNode(CLI, ["device", "get", "x"], { ...app.env, ONESIGNAL_APP_ID: "" });
    expect(noApp.code).toBe(2);
    expect(noApp.stderr).toContain("--app-id");
    const badApp = await runNode(CLI, ["device", "get", "x", "--app-id", "my-app"], app.env);
    expect(badApp.code).toBe(2);
    expect(badApp.stderr).toContain('--app-id must be a OneSignal app id (a UUID such as 8f1c3a2e-...), not "my-app"');
    const badUrl = await runNode(CLI, ["--api-url", "not-a-url", "device", "get", "x"], app.env);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain("--api-url");
    expect(badUrl.stderr).toContain("an http(s) URL such as https://api.onesignal.com");
    const noKey = await runNode(CLI, ["device", "get", "x"], { ...app.env, ONESIGNAL_APP_API_KEY: "" });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toBe(
      "pulumi-onesignal: No OneSignal app API key: pass --api-key <key> or set ONESIGNAL_APP_API_KEY.\n",
    );
    const refused = await runNode(CLI, ["device", "get", "missing-id"], app.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("OneSignal answered 404 to GET /players/missing-id: No user with this id found");
    expect(refused.stderr).not.toContain(app.appKey);
  });
});
