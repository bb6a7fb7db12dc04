import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runNodeWith } from "../support/processes";
import { describeE2E } from "../support/pulumi";

/** Runs `npm run bench`'s program (dist/ is built); resolves to its exit code and output. */
function bench(env: Record<string, string>) {
  return runNodeWith(["--require", path.join(ROOT, "scripts/ts-register.cjs"), path.join(ROOT, "bench/index.ts")], env);
}

describe("npm run bench", () => {
  // Small sizes prove the harness and its checks, not the figures: those are for `npm run bench` on a quiet machine.
  it("runs the bulk benchmarks, one process and several at once, against their baselines and counts every device by CSV export", async () => {
    const { code, stdout, stderr } = await bench({
      BENCH_ONLY: "upserts,import,runners,export",
      BENCH_SIZES: "300",
      BENCH_REPEATS: "1",
      BENCH_RATE_LIMIT: "2000",
    });
    // 0: every target met; 1: one missed (timing targets mean little at 300 devices). Anything else is a crash.
    expect([0, 1], stderr).toContain(code);
    expect(stdout).toContain("| measure | ours | baseline | ratio | target | met |");
    const rows = stdout
      .split("\n")
      .filter((line) => line.startsWith("| ") && !line.startsWith("| measure") && !line.startsWith("| ---"));
    const measures = rows.map((row) => row.split(" | ")[0]?.slice(2));
    expect(measures).toEqual([
      "upsertDevices 300: share of the 2000 req/s limit reached",
      "upsertDevices 300: client CPU per device",
      "upsertDevices 300: peak RSS",
      "devices import 300 rows: time",
      "devices import 300 rows: peak RSS",
      // 4 processes at once into one app, a quarter of the devices sent by two of them.
      "devices import by 4 processes, 300 devices in 376 rows: share of the 2000 req/s limit reached",
      "devices export 300 devices: time",
    ]);
    // Nothing lost, nothing made twice: counted by export, so a duplicate would show.
    const counted = rows.filter((line) => line.includes(" lost, "));
    expect(counted).toHaveLength(3);
    for (const row of counted) expect(row.split(" | ")[1]).toMatch(/ 0 lost, 0 duplicated$/);
  }, 300_000);
});

// The demo runs the real Pulumi CLI: where there is none, this runs as the e2e tier does (fails under CI=true).
describeE2E("npm run bench, the demo", () => {
  it("times a warm npm run demo against a bare up of the same project", async () => {
    const { code, stdout, stderr } = await bench({ BENCH_ONLY: "demo", BENCH_REPEATS: "1" });
    expect([0, 1], stderr).toContain(code);
    const row = stdout.split("\n").find((line) => line.startsWith("| npm run demo, warm (no change): time |"));
    expect(row, stdout).toMatch(/\| [\d.]+ s \| bare pulumi:run up [\d.]+ s \| [\d.]+x \| within 1\.3x \|/);
  }, 300_000);
});
