import { readFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFilter } from "../../provider/cli/commands/notifications";
import { upsertDevice } from "../../provider/index";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { createAppWithKey } from "../support/fixtures";
import { runNode } from "../support/processes";
import { tempDirForTest } from "../support/temp-dirs";

const CLI = "dist/provider/cli/index.js";
let emulator: TestEmulator;
let env: NodeJS.ProcessEnv;
let appId: string;
let appKey: string;

beforeAll(async () => {
  emulator = await startTestEmulator({ exportDelayMs: 50 });
  ({ appId, appKey } = await createAppWithKey(emulator));
  env = { ONESIGNAL_API_URL: emulator.url, ONESIGNAL_APP_API_KEY: appKey, ONESIGNAL_APP_ID: appId };
  const opts = { apiUrl: emulator.url, apiKey: appKey };
  await upsertDevice(
    appId,
    { deviceType: "android", identifier: "t1", tags: { plan: "pro" }, externalUserId: "u1" },
    opts,
  );
  await upsertDevice(appId, { deviceType: "email", identifier: "u1@example.com", externalUserId: "u1" }, opts);
  await emulator.api("POST", `/apps/${appId}/segments`, appKey, {
    name: "Testers",
    filters: [{ field: "tag", key: "plan", relation: "=", value: "pro" }],
  });
});
afterAll(async () => emulator.close());

async function recipients(id: string): Promise<number> {
  const all = (await (await fetch(`${emulator.url}/_emulator/notifications`)).json()) as {
    id: string;
    recipients: string[];
  }[];
  return all.find((notification) => notification.id === id)?.recipients.length ?? -1;
}

describe("pulumi-onesignal notify and friends", () => {
  it("notify sends to a segment, a filter, an external id; --json prints the id", async () => {
    const segment = await runNode(
      CLI,
      ["--json", "notify", "--segment", "Testers", "--message", "Deployed v1.2", "--heading", "Shop"],
      env,
    );
    expect(segment.code).toBe(0);
    const { id } = JSON.parse(segment.stdout) as { id: string };
    expect(await recipients(id)).toBe(1);
    const byFilter = await runNode(
      CLI,
      ["notify", "--filter", "tag:plan=pro", "--message", "hi", "--data", "release=1.2"],
      env,
    );
    expect(byFilter.stdout).toMatch(/^Sent notification [0-9a-f-]{36}\n$/);
    const email = await runNode(
      CLI,
      [
        "--json",
        "notify",
        "--external-id",
        "u1",
        "--channel",
        "email",
        "--subject",
        "Deployed",
        "--message",
        "<p>v1.2</p>",
      ],
      env,
    );
    expect(await recipients((JSON.parse(email.stdout) as { id: string }).id)).toBe(1);
  });

  it("the same --idempotency-key twice sends once", async () => {
    const key = ["--idempotency-key", "7d3f6e2a-1b4c-4d5e-8f90-a1b2c3d4e5f6"];
    const first = await runNode(CLI, ["--json", "notify", "--segment", "Testers", "--message", "once", ...key], env);
    const second = await runNode(CLI, ["--json", "notify", "--segment", "Testers", "--message", "once", ...key], env);
    expect(JSON.parse(second.stdout)).toEqual(JSON.parse(first.stdout));
    // The key under its own name, never as `externalId` (the user's external id is another thing).
    expect(JSON.parse(first.stdout)).toEqual({ id: expect.any(String), idempotencyKey: key[1] });
  });

  it("schedule, list, get, cancel, history", async () => {
    const later = new Date(Date.now() + 3600_000).toISOString();
    const scheduled = await runNode(
      CLI,
      ["--json", "notify", "--segment", "Testers", "--message", "later", "--schedule", later],
      env,
    );
    const { id } = JSON.parse(scheduled.stdout) as { id: string };
    const list = await runNode(CLI, ["notifications", "list", "--limit", "2"], env);
    expect(list.stdout.split("\n")[0]).toMatch(/^ID\s+QUEUED AT\s+SENT\s+REMAINING\s+STATUS\s+MESSAGE$/);
    expect(list.stdout).toContain(`${id}`);
    expect(list.stdout).toContain("scheduled");
    const shown = await runNode(CLI, ["--json", "notification", "get", id], env);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id, canceled: false, remaining: 1 });
    expect((await runNode(CLI, ["cancel", id], env)).stdout.trim()).toBe(`Canceled ${id}`);
    const again = await runNode(CLI, ["cancel", id], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("Usually due to the message already being sent");

    const sent = await runNode(CLI, ["--json", "notify", "--segment", "Testers", "--message", "now"], env);
    const out = path.join(tempDirForTest("history-"), "sent.csv");
    const history = await runNode(
      CLI,
      ["history", (JSON.parse(sent.stdout) as { id: string }).id, "--events", "sent", "--out", out],
      env,
    );
    expect(history.stdout.trim()).toBe(`Wrote 1 sent events to ${out}`);
    expect(readFileSync(out, "utf8").split("\n")[0]).toBe(
      "subscription_id,external_id,device_type,identifier,event,event_at",
    );
    // `--out -`: the CSV alone on standard output, for a pipe; the summary on standard error.
    const piped = await runNode(
      CLI,
      ["history", (JSON.parse(sent.stdout) as { id: string }).id, "--events", "sent", "--out", "-"],
      env,
    );
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(readFileSync(out, "utf8"));
    expect(piped.stderr).toContain("Wrote 1 sent events");
    const events = await runNode(CLI, ["events", (JSON.parse(sent.stdout) as { id: string }).id, "--out", "-"], env);
    expect(events.code, events.stderr).toBe(0);
    expect(events.stdout.split("\n")[0]).toBe("notification_id,subscription_id,external_id,device_type,event,event_at");
    expect(events.stdout).toContain(",sent,");
  });

  it("refuses a command line with no target, two targets or an email without a subject (exit 2)", async () => {
    for (const args of [
      ["notify", "--message", "x"],
      ["notify", "--segment", "A", "--external-id", "u", "--message", "x"],
      ["notify", "--segment", "A", "--channel", "email", "--message", "x"],
      ["notify", "--filter", "plan=pro", "--message", "x"],
    ]) {
      const result = await runNode(CLI, args, env);
      expect(result.code, args.join(" ")).toBe(2);
    }
  });
});

describe("parseFilter", () => {
  it("reads the --filter forms", () => {
    expect(parseFilter("tag:plan=pro")).toEqual([{ field: "tag", key: "plan", relation: "=", value: "pro" }]);
    expect(parseFilter("tag:beta")).toEqual([{ field: "tag", key: "beta", relation: "exists" }]);
    expect(parseFilter("last_session<24", [])).toEqual([{ field: "lastSession", relation: "<", hoursAgo: "24" }]);
    expect(parseFilter("language!=fr")).toEqual([{ field: "language", relation: "!=", value: "fr" }]);
    expect(() => parseFilter("plan=pro")).toThrow(/use tag:KEY=VALUE/);
  });
});
