import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseFilter } from "../../provider/cli/commands/notifications";
import { upsertDevice } from "../../provider/index";
import { runNode } from "../support/processes";
import { tempDirForTest } from "../support/temp-dirs";
import { useEmulatorApp } from "../support/use-emulator";

const CLI = "dist/provider/cli/index.js";
const { emulator, app } = useEmulatorApp({ emulator: { exportDelayMs: 50 } });

beforeAll(async () => {
  await upsertDevice(
    app.appId,
    { deviceType: "android", identifier: "t1", tags: { plan: "pro" }, externalUserId: "u1" },
    app.opts,
  );
  await upsertDevice(app.appId, { deviceType: "email", identifier: "u1@example.com", externalUserId: "u1" }, app.opts);
  await emulator.api("POST", `/apps/${app.appId}/segments`, app.appKey, {
    name: "Testers",
    filters: [{ field: "tag", key: "plan", relation: "=", value: "pro" }],
  });
});

async function recipients(id: string): Promise<number> {
  const all = (await (await fetch(`${emulator.url}/_emulator/notifications`)).json()) as {
    id: string;
    recipients: string[];
  }[];
  return all.find((notification) => notification.id === id)?.recipients.length ?? -1;
}

async function notificationCount(): Promise<number> {
  return ((await (await fetch(`${emulator.url}/_emulator/notifications`)).json()) as unknown[]).length;
}

describe("pulumi-onesignal notify and friends", () => {
  it("notify sends to a segment, a filter, an external id; --json prints the id", async () => {
    const segment = await runNode(
      CLI,
      ["--json", "notify", "--segment", "Testers", "--message", "Deployed v1.2", "--heading", "Shop"],
      app.env,
    );
    expect(segment.code).toBe(0);
    const { id } = JSON.parse(segment.stdout) as { id: string };
    expect(await recipients(id)).toBe(1);
    const byFilter = await runNode(
      CLI,
      ["notify", "--filter", "tag:plan=pro", "--message", "hi", "--data", "release=1.2"],
      app.env,
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
      app.env,
    );
    expect(await recipients((JSON.parse(email.stdout) as { id: string }).id)).toBe(1);
  });

  it("the same --idempotency-key twice sends once", async () => {
    const key = ["--idempotency-key", "7d3f6e2a-1b4c-4d5e-8f90-a1b2c3d4e5f6"];
    const first = await runNode(
      CLI,
      ["--json", "notify", "--segment", "Testers", "--message", "once", ...key],
      app.env,
    );
    const second = await runNode(
      CLI,
      ["--json", "notify", "--segment", "Testers", "--message", "once", ...key],
      app.env,
    );
    expect(JSON.parse(second.stdout)).toEqual(JSON.parse(first.stdout));
    // The key under its own name, never as `externalId` (the user's external id is another thing).
    expect(JSON.parse(first.stdout)).toEqual({ id: expect.any(String), idempotencyKey: key[1] });
  });

  it("schedule, list, get, cancel, history", async () => {
    const later = new Date(Date.now() + 3600_000).toISOString();
    const scheduled = await runNode(
      CLI,
      ["--json", "notify", "--segment", "Testers", "--message", "later", "--schedule", later],
      app.env,
    );
    const { id } = JSON.parse(scheduled.stdout) as { id: string };
    const list = await runNode(CLI, ["notifications", "list", "--limit", "2"], app.env);
    expect(list.stdout.split("\n")[0]).toMatch(/^ID\s+QUEUED AT\s+SENT\s+REMAINING\s+STATUS\s+MESSAGE$/);
    expect(list.stdout).toContain(`${id}`);
    expect(list.stdout).toContain("scheduled");
    const shown = await runNode(CLI, ["--json", "notification", "get", id], app.env);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id, canceled: false, remaining: 1 });
    expect((await runNode(CLI, ["cancel", id], app.env)).stdout.trim()).toBe(`Canceled ${id}`);
    const again = await runNode(CLI, ["cancel", id], app.env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("Usually due to the message already being sent");

    const sent = await runNode(CLI, ["--json", "notify", "--segment", "Testers", "--message", "now"], app.env);
    const out = path.join(tempDirForTest("history-"), "sent.csv");
    const history = await runNode(
      CLI,
      ["history", (JSON.parse(sent.stdout) as { id: string }).id, "--events", "sent", "--out", out],
      app.env,
    );
    expect(history.stdout.trim()).toBe(`Wrote 1 sent events to ${out}`);
    expect(readFileSync(out, "utf8").split("\n")[0]).toBe("player_id,onesignal_id,external_id,target_channel");
    // `--out -`: the CSV alone on standard output, for a pipe; the summary on standard error.
    const piped = await runNode(
      CLI,
      ["history", (JSON.parse(sent.stdout) as { id: string }).id, "--events", "sent", "--out", "-"],
      app.env,
    );
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(readFileSync(out, "utf8"));
    expect(piped.stderr).toContain("Wrote 1 sent events");
    const events = await runNode(
      CLI,
      ["events", (JSON.parse(sent.stdout) as { id: string }).id, "--out", "-"],
      app.env,
    );
    expect(events.code, events.stderr).toBe(0);
    expect(events.stdout.split("\n")[0]).toBe(
      "external_user_id,subscription_id,device_type,sent,delivered,clicked,onesignal_id,failed,unsubscribed,failure_message",
    );
    expect(events.stdout.split("\n")).toHaveLength(3);
  });

  it("notify that reaches nobody exits 3, unless --allow-no-recipients (exit 0)", async () => {
    const nobody = ["notify", "--external-id", "no-such-user", "--message", "hello?"];
    const refused = await runNode(CLI, nobody, app.env);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toBe(
      "pulumi-onesignal: nothing sent: no recipient matched the target (pass --allow-no-recipients to accept it).\n",
    );
    const json = await runNode(CLI, ["--json", ...nobody], app.env);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ id: "", errors: ["All included players are not subscribed"] });
    const accepted = await runNode(CLI, [...nobody, "--allow-no-recipients"], app.env);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain("Nothing sent:");
    expect(accepted.stderr).toBe("");
  });

  it("errors name the flag, not the function's field (exit 2, before any request)", async () => {
    const cases: [string[], string, string][] = [
      [
        ["notify", "--segment", "Testers", "--message", "x", "--idempotency-key", "not-a-uuid"],
        '--idempotency-key must be a UUID (such as uuidgen prints), not "not-a-uuid"',
        "idempotencyKey",
      ],
      [
        ["notify", "--segment", "Testers", "--message", "x", "--data", `big=${"x".repeat(2100)}`],
        "--data must be at most 2048 bytes as JSON",
        ": data must",
      ],
      [
        ["devices", "export", "--out", "-", "--include-unsubscribed"],
        "--include-unsubscribed needs --segment",
        "includeUnsubscribed",
      ],
      [
        ["device", "upsert", "--device-type", "pager", "--identifier", "x"],
        '--device-type "pager" is not',
        "deviceType",
      ],
      [["device", "get", ""], "device get needs the device's id", "getDevice"],
    ];
    for (const [args, said, field] of cases) {
      const requests = await emulator.requestsDuring(async () => {
        const result = await runNode(CLI, args, app.env);
        expect(result.code, args.join(" ")).toBe(2);
        expect(result.stderr).toContain(said);
        expect(result.stderr).not.toContain(field);
      });
      expect(requests, args.join(" ")).toEqual([]);
    }
  });

  it("notify --idempotency-key-from: the same text twice sends once, under a UUID v5 of the text", async () => {
    const step = ["--json", "notify", "--segment", "Testers", "--message", "deployed", "--idempotency-key-from"];
    const text = "deploy-0123abcd-42";
    const before = await notificationCount();
    const first = await runNode(CLI, [...step, text], app.env);
    const second = await runNode(CLI, [...step, text], app.env);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(await notificationCount()).toBe(before + 1);
    // Python's uuid.uuid5(uuid.UUID("b666b982-e620-4cad-9ae5-1edac9303e8a"), "deploy-0123abcd-42").
    expect(JSON.parse(first.stdout)).toEqual({
      id: expect.any(String),
      idempotencyKey: "980ea7a4-d075-5add-ad69-16329657468c",
    });
    expect(JSON.parse(second.stdout)).toEqual(JSON.parse(first.stdout));
    // Another text is another send.
    const other = await runNode(CLI, [...step, `${text}-again`], app.env);
    expect(JSON.parse(other.stdout).id).not.toBe(JSON.parse(first.stdout).id);
    expect(await notificationCount()).toBe(before + 2);
  });

  it("refuses --idempotency-key with --idempotency-key-from, and an empty --idempotency-key-from (exit 2)", async () => {
    const both = await runNode(
      CLI,
      [
        "notify",
        "--segment",
        "Testers",
        "--message",
        "x",
        "--idempotency-key",
        "7d3f6e2a-1b4c-4d5e-8f90-a1b2c3d4e5f6",
        "--idempotency-key-from",
        "deploy-1",
      ],
      app.env,
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("Give --idempotency-key or --idempotency-key-from, not both");
    const empty = await runNode(
      CLI,
      ["notify", "--segment", "Testers", "--message", "x", "--idempotency-key-from", ""],
      app.env,
    );
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("--idempotency-key-from needs text");
  });

  it("refuses a command line with no target, two targets or an email without a subject (exit 2)", async () => {
    for (const args of [
      ["notify", "--message", "x"],
      ["notify", "--segment", "A", "--external-id", "u", "--message", "x"],
      ["notify", "--segment", "A", "--channel", "email", "--message", "x"],
      ["notify", "--filter", "plan=pro", "--message", "x"],
    ]) {
      const result = await runNode(CLI, args, app.env);
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
