/**
 * What every benchmark shares: an emulator in a process of its own (with a network round trip and OneSignal's
 * per-app rate limit), fresh apps, a duplicate check by CSV export, and workloads run in child processes so that
 * their CPU time and peak memory are theirs alone.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";

/** The repository root. */
export const ROOT = path.resolve(__dirname, "..");

/** Benchmark settings, from the environment. */
export const SETTINGS = {
  /** Requests per second per app, as OneSignal limits users and subscriptions writes. */
  rateLimit: Number(process.env.BENCH_RATE_LIMIT ?? 1000),
  /** A network round trip added to every request: on loopback everything looks fast. */
  latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 20),
  /** Requests in flight for the bulk runs. */
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 32),
  /** Runs of each timed measure; the median is reported. */
  repeats: Number(process.env.BENCH_REPEATS ?? 3),
};

/** A running emulator process. */
export interface BenchEmulator {
  url: string;
  organizationApiKey: string;
  stop(): Promise<void>;
}

/** Starts `onesignal-emulator` from `dist/` on a free port. */
export async function startEmulatorProcess(options: { latencyMs?: number } = {}): Promise<BenchEmulator> {
  const args = [
    path.join(ROOT, "dist/emulator/cli.js"),
    "--port",
    "0",
    "--latency-ms",
    String(options.latencyMs ?? SETTINGS.latencyMs),
    "--request-log-limit",
    "1000",
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (data: Buffer) => {
      output += data.toString();
      if (/Organization API key: \S+/.test(output)) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the emulator exited with ${code}`)));
  });
  return {
    url: /listening on (\S+)/.exec(output)?.[1] as string,
    organizationApiKey: /Organization API key: (\S+)/.exec(output)?.[1] as string,
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** Calls the emulator's API (or an admin endpoint, with no key). */
export async function call<T>(
  emulator: BenchEmulator,
  method: string,
  route: string,
  key?: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${emulator.url}${route}`, {
    method,
    headers: { "content-type": "application/json", ...(key ? { authorization: `Key ${key}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A fresh app with an app key, on an emulator reset to nothing, with the rate limit on. */
export async function freshApp(
  emulator: BenchEmulator,
  rateLimit = SETTINGS.rateLimit,
): Promise<{ appId: string; appKey: string }> {
  await call(emulator, "POST", "/_emulator/reset");
  const app = await call<{ id: string }>(emulator, "POST", "/apps", emulator.organizationApiKey, { name: "bench" });
  const key = await call<{ formatted_token: string }>(
    emulator,
    "POST",
    `/apps/${app.id}/auth/tokens`,
    emulator.organizationApiKey,
    { name: "bench" },
  );
  await call(emulator, "POST", "/_emulator/rate-limits", undefined, { appId: app.id, requestsPerSecond: rateLimit });
  return { appId: app.id, appKey: key.formatted_token };
}

/**
 * The app's devices as OneSignal's CSV export lists them, counted per identifier: a device made twice shows as
 * two rows with one identifier, and a lost one as a missing identifier. (The device list refuses apps of over
 * 80,000 devices; the export does not.)
 */
export async function exportedIdentifiers(
  emulator: BenchEmulator,
  appId: string,
  appKey: string,
): Promise<Map<string, number>> {
  await call(emulator, "DELETE", "/_emulator/rate-limits");
  const { csv_file_url: url } = await call<{ csv_file_url: string }>(
    emulator,
    "POST",
    `/players/csv_export?app_id=${appId}`,
    appKey,
    {},
  );
  for (;;) {
    const response = await fetch(url);
    if (response.ok) {
      const rows = parse(gunzipSync(Buffer.from(await response.arrayBuffer())), { columns: true }) as {
        identifier: string;
      }[];
      const counts = new Map<string, number>();
      for (const row of rows) counts.set(row.identifier, (counts.get(row.identifier) ?? 0) + 1);
      return counts;
    }
    await response.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** How many of `expected` identifiers are missing from an export, and how many rows are extra copies. */
export function lostAndDuplicated(
  counts: Map<string, number>,
  expected: Iterable<string>,
): { lost: number; duplicated: number } {
  let lost = 0;
  let seen = 0;
  for (const identifier of expected) {
    seen += 1;
    if (!counts.has(identifier)) lost += 1;
  }
  let rows = 0;
  for (const count of counts.values()) rows += count;
  return { lost, duplicated: rows - (seen - lost) };
}

/** What a workload in a child process reports. */
export interface WorkloadReport {
  /** Wall time from the process's start to the end of the work, in seconds. */
  seconds: number;
  /** Wall time of the work alone (module loading aside), in seconds: what a rate is measured over. */
  workSeconds: number;
  /** CPU time of the process (user + system), in ms. */
  cpuMs: number;
  /** The process's peak resident memory, in MB. */
  peakRssMb: number;
  /**
   * When the work began and ended (Unix ms): for a workload, around its work; for a command, from its first HTTP
   * request to its exit. What several processes at once are measured over.
   */
  startedAt: number;
  endedAt: number;
  /** Anything else the workload counts. */
  [key: string]: number;
}

/** Where {@link buildWorkloads} writes the workloads as JavaScript. */
const BUILD_DIR = path.join(ROOT, "bench/.build");

/**
 * Compiles the workloads (and what they import from `bench/`) to JavaScript, so each runs in plain Node:
 * loading TypeScript to compile them on the fly would add its own 50 MB to every peak memory measured. They
 * take the product from `pulumi-onesignal`, which is this repository's `dist/`.
 */
export function buildWorkloads(): void {
  const ts = require("typescript") as typeof import("typescript");
  const sources = ["support.ts", ...readdirSync(path.join(ROOT, "bench/workloads")).map((file) => `workloads/${file}`)];
  for (const source of sources) {
    const { outputText } = ts.transpileModule(readFileSync(path.join(ROOT, "bench", source), "utf8"), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: source,
    });
    const target = path.join(BUILD_DIR, source.replace(/\.ts$/, ".js"));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
}

/**
 * Runs the workload `bench/workloads/<name>.ts` (as built by {@link buildWorkloads}) in a Node process of its
 * own with `args`, and resolves to what it reports on its last line.
 */
export function runWorkload(name: string, args: Record<string, unknown>): Promise<WorkloadReport> {
  return new Promise((resolve, reject) => {
    // BENCH_PROFILE=1: a CPU profile of each workload, in bench/.build/profiles (see bench/profile-summary.ts).
    const profile = process.env.BENCH_PROFILE
      ? [
          "--cpu-prof",
          "--cpu-prof-dir",
          path.join(BUILD_DIR, "profiles"),
          "--cpu-prof-name",
          `${name}-${Date.now()}.cpuprofile`,
        ]
      : [];
    const child = spawn(process.execPath, [...profile, path.join(BUILD_DIR, "workloads", `${name}.js`)], {
      cwd: ROOT,
      env: { ...process.env, BENCH_ARGS: JSON.stringify(args) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (data: Buffer) => {
      stdout += data.toString();
    });
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`workload ${name} exited with ${code}`));
      else resolve(JSON.parse(stdout.trim().split("\n").at(-1) as string) as WorkloadReport);
    });
  });
}

/** Inside a workload: its arguments. */
export function workloadArgs<T>(): T {
  return JSON.parse(process.env.BENCH_ARGS ?? "{}") as T;
}

/**
 * Inside a workload: runs `work` and prints the report. Time and CPU count from the process's start, module
 * loading included, as they do for a command the benchmarks run as it is (bench/report-at-exit.cjs): what a user
 * waits for and pays.
 */
export async function reportWorkload(work: () => Promise<Record<string, number>>): Promise<void> {
  const started = performance.now();
  const startedAt = Date.now();
  const counts = await work();
  const cpu = process.cpuUsage();
  const report: WorkloadReport = {
    seconds: performance.now() / 1000,
    workSeconds: (performance.now() - started) / 1000,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    startedAt,
    endedAt: Date.now(),
    ...counts,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

/** The median of some numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
