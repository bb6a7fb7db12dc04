import { lstatSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { InputChecker, MAX_HEADER_BYTES } from "../../provider/cli/csv-input";
import { headerProblems } from "../../provider/cli/device-csv";
import { IDEMPOTENCY_NAMESPACE, idempotencyKeyFrom, uuidV5 } from "../../provider/cli/idempotency";
import { etaSeconds, formatDuration, WAIT_NOTICE_INTERVAL_MS, waitNotice } from "../../provider/cli/progress";
import { EXIT, namingFlags, writeOwnFile } from "../../provider/cli/shared";
import { tempDirForTest } from "../support/temp-dirs";

describe("uuidV5 and --idempotency-key-from", () => {
  it("matches RFC 9562 and Python's uuid.uuid5", () => {
    // python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org'))"
    expect(uuidV5("python.org", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("886313e1-3b8a-5372-9b90-0c9aee199e5d");
    // python3 -c "import uuid; ns = uuid.UUID('b666b982-e620-4cad-9ae5-1edac9303e8a'); print(uuid.uuid5(ns, TEXT))"
    expect(IDEMPOTENCY_NAMESPACE).toBe("b666b982-e620-4cad-9ae5-1edac9303e8a");
    expect(idempotencyKeyFrom("deploy-0123abcd-42")).toBe("980ea7a4-d075-5add-ad69-16329657468c");
    expect(idempotencyKeyFrom("")).toBe("2b955471-7906-5be8-944d-c8f067c38689");
    expect(idempotencyKeyFrom("héllo ✓")).toBe("4ec1d55b-14a1-5cb7-ad63-ceb5e2d10848");
  });

  it("is stable, and a version 5 UUID of the RFC variant", () => {
    const key = idempotencyKeyFrom("deploy-abc-1");
    expect(idempotencyKeyFrom("deploy-abc-1")).toBe(key);
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(idempotencyKeyFrom("deploy-abc-2")).not.toBe(key);
  });
});

describe("the import's ETA", () => {
  it("is unknown until enough is done, then comes from the rate over the whole run", () => {
    expect(etaSeconds(0, 1000, 60_000)).toBeUndefined();
    // 4 % done: too little to tell (a first burst of answers said 6m30s here).
    expect(etaSeconds(40, 1000, 10_000)).toBeUndefined();
    // Not before 2 s, however much is done.
    expect(etaSeconds(500, 1000, 1_000)).toBeUndefined();
    // 10 % in 30 s: 270 s left at the same average rate.
    expect(etaSeconds(100, 1000, 30_000)).toBe(270);
    expect(etaSeconds(1000, 1000, 30_000)).toBe(0);
    expect(etaSeconds(10, undefined, 30_000)).toBeUndefined();
  });

  it("does not jump with a burst: the same average gives the same estimate", () => {
    // 200 of 1000 in 20 s, whether they came steadily or in one burst at the end.
    expect(etaSeconds(200, 1000, 20_000)).toBe(80);
    expect(etaSeconds(210, 1000, 20_000)).toBe(76);
  });

  it("formats durations", () => {
    expect(formatDuration(undefined)).toBe("--");
    expect(formatDuration(45)).toBe("45s");
    expect(formatDuration(390)).toBe("6m30s");
    expect(formatDuration(7500)).toBe("2h05m");
  });
});

describe("waitNotice", () => {
  it("says it waits once, then only every 30 s with the time waited", () => {
    const lines: string[] = [];
    const notice = waitNotice("the export", (line) => lines.push(line));
    for (const waited of [0, 100, 210, 331, 464, 610, 10_000]) notice(waited);
    expect(lines).toEqual(["waiting for OneSignal to prepare the export...\n"]);
    notice(WAIT_NOTICE_INTERVAL_MS + 5_000);
    notice(WAIT_NOTICE_INTERVAL_MS + 6_000);
    expect(lines).toEqual([
      "waiting for OneSignal to prepare the export...\n",
      "still waiting for OneSignal to prepare the export (35s)\n",
    ]);
  });
});

describe("InputChecker", () => {
  const bytes = (...parts: (string | number[])[]) =>
    Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part) : Buffer.from(part))));
  const feed = (chunks: Buffer[]) => {
    const checker = new InputChecker();
    const out = Buffer.concat([...chunks.map((chunk) => checker.push(chunk)), checker.end()]);
    return { checker, out: out.toString("utf8") };
  };

  it("hands on UTF-8 whole, a character split between chunks included", () => {
    const text = bytes("device_type,tag:city\nandroid,Zürich ✓\nandroid,𝄞\n");
    // Every split point, one byte at a time among them.
    for (let at = 0; at <= text.length; at++) {
      const { checker, out } = feed([text.subarray(0, at), text.subarray(at)]);
      expect(checker.problem, `split at ${at}`).toBeUndefined();
      expect(out).toBe(text.toString("utf8"));
    }
    const { out } = feed([...text].map((byte) => Buffer.from([byte])));
    expect(out).toBe(text.toString("utf8"));
  });

  it("stops at Latin-1 with its line, handing on only the lines before", () => {
    const { checker, out } = feed([bytes("a,b\nx,Paris\ny,Z", [0xfc], "rich\nz,Bern\n")]);
    expect(checker.problem).toEqual({ line: 3, reason: expect.stringContaining("is not UTF-8 text (byte 0xfc)") });
    expect(out).toBe("a,b\nx,Paris\n");
  });

  it("does not hand on the start of a line whose end is bad, even from an earlier chunk", () => {
    const { checker, out } = feed([bytes("a,b\nx,Zu"), bytes("ri", [0xe9], "\n")]);
    expect(checker.problem?.line).toBe(2);
    expect(out).toBe("a,b\n");
  });

  it("refuses overlong forms, surrogates, stray continuation bytes and a character cut at the end", () => {
    for (const bad of [[0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xf4, 0x90, 0x80, 0x80]]) {
      expect(feed([bytes("a\n", bad, "\n")]).checker.problem?.line, JSON.stringify(bad)).toBe(2);
    }
    const cut = feed([bytes("a\nb", [0xe2, 0x9c])]);
    expect(cut.checker.problem).toEqual({ line: 2, reason: expect.stringContaining("ends inside a character") });
    expect(cut.out).toBe("a\n");
  });

  it("refuses a header line past MAX_HEADER_BYTES as it comes, across chunks", () => {
    const checker = new InputChecker();
    const chunk = Buffer.alloc(16 * 1024, "a".charCodeAt(0));
    for (let i = 0; i < 4; i++) expect(checker.push(chunk).length).toBe(0);
    expect(checker.problem).toBeUndefined();
    checker.push(Buffer.from("b"));
    expect(checker.problem).toEqual({ line: 1, reason: expect.stringContaining("(the header) is longer than 64 KiB") });
    expect(MAX_HEADER_BYTES).toBe(64 * 1024);
    // Rows after the header may be longer.
    const rows = new InputChecker();
    rows.push(Buffer.from("device_type\n"));
    rows.push(Buffer.alloc(MAX_HEADER_BYTES + 10, "a".charCodeAt(0)));
    expect(rows.problem).toBeUndefined();
  });
});

describe("headerProblems", () => {
  it("names at most three unknown columns, then how many more", () => {
    const header = ["device_type", ...Array.from({ length: 1000 }, (_, i) => `col${i}`)];
    const problems = headerProblems(header);
    expect(problems).toHaveLength(4);
    expect(problems[3]).toBe("and 997 more unknown columns");
  });
});

describe("namingFlags", () => {
  it("names the CLI's flag where a function names its field", () => {
    expect(namingFlags('idempotencyKey must be a UUID, not "x".')).toEqual({
      message: '--idempotency-key must be a UUID, not "x".',
      flagged: true,
    });
    expect(namingFlags("exportDevicesCsv: includeUnsubscribed must be given with segmentName").message).toBe(
      "--include-unsubscribed must be given with segmentName",
    );
    expect(
      namingFlags("The notification cannot be sent: data must be at most 2048 bytes; sendAfter is bad.").message,
    ).toBe("The notification cannot be sent: --data must be at most 2048 bytes; --schedule is bad.");
    // Words elsewhere in a message stay.
    expect(namingFlags("The CSV export was not ready after 600 s")).toEqual({
      message: "The CSV export was not ready after 600 s",
      flagged: false,
    });
  });

  it("has exit code 3 for nothing sent", () => {
    expect(EXIT).toEqual({ ok: 0, failed: 1, usage: 2, nothingSent: 3 });
  });
});

describe("writeOwnFile", () => {
  it("refuses a symbolic link at the name, and leaves its target alone", async () => {
    const dir = tempDirForTest("cli-own-file-");
    const target = path.join(dir, "target.txt");
    writeFileSync(target, "keep\n");
    const file = path.join(dir, "x.failed.csv");
    symlinkSync(target, file);
    await expect(writeOwnFile(file, "rows\n", "remove it")).rejects.toThrow(/is a symbolic link/);
    expect(readFileSync(target, "utf8")).toBe("keep\n");
  });

  it("replaces a regular file it wrote before, leaving no temporary file", async () => {
    const dir = tempDirForTest("cli-own-file-");
    const file = path.join(dir, "x.failed.csv");
    await writeOwnFile(file, "first\n", "remove it");
    await writeOwnFile(file, "second\n", "remove it");
    expect(readFileSync(file, "utf8")).toBe("second\n");
    expect(lstatSync(file).isFile()).toBe(true);
    expect(readdirSync(dir)).toEqual(["x.failed.csv"]);
  });
});
