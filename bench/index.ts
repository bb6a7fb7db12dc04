/**
 * `npm run bench`: every benchmark, each against its baseline measured in the same run, printed as one table of
 * ratios with the target each must meet. Exits 1 when a target is missed, so a benchmark can fail.
 *
 * - registration: 300 resources under Pulumi's mocks, against a trivial dynamic provider, from the repository and
 *   from a project that installed the packed package; and the size of each serialized provider;
 * - bulk upserts: `upsertDevices` against the official SDK (5.x, `createUser`) with 429 retries, at 10k and 100k
 *   devices, into an emulator in its own process with a 20 ms round trip and OneSignal's 1,000 requests/s per app;
 *   counted by CSV export, so a lost or duplicated device shows;
 * - `devices import` of a CSV file against a bare HTTP loop, at 10k and 100k rows, with peak memory;
 * - many runners: `devices import` in several processes at once into one app, each its share of the first size's
 *   devices and some of the next one's (sent by both at about the same moment), against as many bare HTTP loops;
 * - `devices export` against the bare export.
 *
 * Environment: BENCH_SIZES (10000,100000), BENCH_REPEATS (3), BENCH_RATE_LIMIT, BENCH_LATENCY_MS,
 * BENCH_CONCURRENCY, BENCH_RUNNERS (4), BENCH_ONLY (a comma-separated subset:
 * registration,demo,upserts,import,runners,export).
 */
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "csv-stringify/sync";
import {
  type BenchEmulator,
  buildWorkloads,
  exportedIdentifiers,
  freshApp,
  lostAndDuplicated,
  median,
  ROOT,
  runWorkload,
  SETTINGS,
  startEmulatorProcess,
  type WorkloadReport,
} from "./support";
import { benchDevice, benchIdentifiers } from "./workloads/devices";

const SIZES = (process.env.BENCH_SIZES ?? "10000,100000").split(",").map(Number);
const ONLY = process.env.BENCH_ONLY?.split(",");
/** Processes importing into one app at once, for the many-runners measure. */
const RUNNERS = Number(process.env.BENCH_RUNNERS ?? 4);

/** One line of the table. */
interface Row {
  measure: string;
  ours: string;
  baseline: string;
  ratio: number | undefined;
  target: string;
  met: boolean;
}

const rows: Row[] = [];
const log = (line: string) => process.stderr.write(`${line}\n`);

function record(row: Row): void {
  rows.push(row);
  log(`  ${row.met ? "ok  " : "MISS"} ${row.measure}: ${row.ours} vs ${row.baseline} (${row.target})`);
}

const ms = (value: number) => `${Math.round(value).toLocaleString("en")} ms`;
const mb = (value: number) => `${Math.round(value)} MB`;
const ratioOf = (ours: number, baseline: number) => ours / baseline;

/** Runs a measure `SETTINGS.repeats` times; the median of each figure. */
async function medianOf<T extends Record<string, number>>(run: () => Promise<T>): Promise<T> {
  const runs: T[] = [];
  for (let index = 0; index < SETTINGS.repeats; index++) runs.push(await run());
  return medians(runs);
}

/** The median of each figure over several runs. */
function medians<T extends Record<string, number>>(runs: T[]): T {
  return Object.fromEntries(
    Object.keys(runs[0] ?? {}).map((key) => [key, median(runs.map((entry) => entry[key] as number))]),
  ) as T;
}

/**
 * Runs the registration program with both providers in turn, `runs` times each, so that both see the machine
 * alike; the median of each.
 */
async function registrationPair(dir: string, runs = 5): Promise<[Record<string, number>, Record<string, number>]> {
  const ours: Record<string, number>[] = [];
  const trivial: Record<string, number>[] = [];
  for (let index = 0; index < runs; index++) {
    ours.push(await registration(dir, "pulumi-onesignal"));
    trivial.push(await registration(dir, "trivial"));
  }
  return [medians(ours), medians(trivial)];
}

/** Runs the registration program in `dir` (the repository, or a project that installed the package). */
function registration(dir: string, provider: "pulumi-onesignal" | "trivial"): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(dir, "register-resources.cjs")], {
      cwd: dir,
      env: { ...process.env, BENCH_PROVIDER: provider },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (data: Buffer) => {
      stdout += data.toString();
    });
    child.once("exit", (code) =>
      code === 0 ? resolve(JSON.parse(stdout.trim()) as Record<string, number>) : reject(new Error(`exit ${code}`)),
    );
  });
}

async function benchRegistration(): Promise<void> {
  log("registration of 300 resources under mocks");
  const work = mkdtempSync(path.join(tmpdir(), "bench-install-"));
  try {
    const inRepo = path.join(ROOT, "bench/programs");
    const [repo, repoTrivial] = await registrationPair(inRepo);
    execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", work], { cwd: ROOT, stdio: "ignore" });
    const tarball = path.join(work, readdirSync(work).find((file) => file.endsWith(".tgz")) as string);
    const sdk = (
      JSON.parse(readFileSync(path.join(ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8")) as {
        version: string;
      }
    ).version;
    writeFileSync(
      path.join(work, "package.json"),
      JSON.stringify({
        name: "bench-user",
        private: true,
        dependencies: { "pulumi-onesignal": `file:${tarball}`, "@pulumi/pulumi": sdk },
      }),
    );
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], {
      cwd: work,
      stdio: "ignore",
    });
    cpSync(path.join(inRepo, "register-resources.cjs"), path.join(work, "register-resources.cjs"));
    const [installed, installedTrivial] = await registrationPair(work);
    const time = (
      where: string,
      ours: Record<string, number>,
      trivial: Record<string, number>,
      most: number,
      target: string,
      figure: "ms" | "inProgramMs" = "ms",
    ) => {
      const ratio = ratioOf(ours[figure] as number, trivial[figure] as number);
      record({
        measure: `register 300 resources, ${where}`,
        ours: ms(ours[figure] as number),
        baseline: `trivial provider ${ms(trivial[figure] as number)}`,
        ratio,
        target,
        met: ratio <= most,
      });
    };
    // On the machine the targets were set on, the trivial provider took 537 ms: within 1.3x is under 1 s there.
    time(
      "package installed from its tarball",
      installed,
      installedTrivial,
      1.3,
      "within 1.3x (under 1 s where the trivial provider takes 537 ms)",
    );
    // The figure without process start and SDK load, which both sides pay and which hide the package's own cost.
    time(
      "package installed, measured in the program after the SDK loads",
      installed,
      installedTrivial,
      1.3,
      "within 1.3x",
      "inProgramMs",
    );
    time("program inside the repository", repo, repoTrivial, 1.5, "within 1.5x");
    const size = (where: string, ours: Record<string, number>, trivial: Record<string, number>, most: number) =>
      record({
        measure: `serialized provider per resource, ${where}`,
        ours: `${ours.providerBytes} bytes`,
        baseline: `trivial provider ${trivial.providerBytes} bytes`,
        ratio: undefined,
        target: `at most ${most / 1024} KB`,
        met: (ours.providerBytes as number) <= most,
      });
    size("installed", installed, installedTrivial, 2048);
    size("in the repository", repo, repoTrivial, 4096);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One bulk run into a fresh app, checked by CSV export: what was stored, lost and duplicated. */
async function bulkRun(
  emulator: BenchEmulator,
  count: number,
  run: (app: { appId: string; appKey: string }) => Promise<WorkloadReport>,
): Promise<WorkloadReport & { lost: number; duplicated: number }> {
  const app = await freshApp(emulator);
  const report = await run(app);
  const counts = await exportedIdentifiers(emulator, app.appId, app.appKey);
  return { ...report, ...lostAndDuplicated(counts, benchIdentifiers(count)) };
}

async function benchUpserts(emulator: BenchEmulator): Promise<void> {
  for (const count of SIZES) {
    log(`upsertDevices of ${count.toLocaleString("en")} devices`);
    const args = (app: { appId: string; appKey: string }) => ({
      url: emulator.url,
      ...app,
      count,
      concurrency: SETTINGS.concurrency,
    });
    // Big runs once: at the rate limit, 100k devices take 100 s a run.
    const repeat = count > 20_000 ? <T extends Record<string, number>>(run: () => Promise<T>) => run() : medianOf;
    const ours = await repeat(() => bulkRun(emulator, count, (app) => runWorkload("upsert-devices", args(app))));
    const sdk = await repeat(() => bulkRun(emulator, count, (app) => runWorkload("sdk-upsert", args(app))));
    // What the limit allows while the work runs (module loading aside): a second's burst (the emulator's bucket),
    // then the rate.
    const share = (report: WorkloadReport & { lost: number }) =>
      (count - report.lost) / (SETTINGS.rateLimit * (report.workSeconds + 1));
    record({
      measure: `upsertDevices ${count.toLocaleString("en")}: share of the ${SETTINGS.rateLimit} req/s limit reached`,
      ours: `${(share(ours) * 100).toFixed(1)} %, ${ours.lost} lost, ${ours.duplicated} duplicated`,
      baseline: `SDK with retries ${(share(sdk) * 100).toFixed(1)} %, ${sdk.lost} lost, ${sdk.duplicated} duplicated`,
      ratio: share(ours) / share(sdk),
      target: "at least 95 %, 0 lost, 0 duplicated",
      met: share(ours) >= 0.95 && ours.lost === 0 && ours.duplicated === 0,
    });
    const perDevice = (report: WorkloadReport) => report.cpuMs / count;
    record({
      measure: `upsertDevices ${count.toLocaleString("en")}: client CPU per device`,
      ours: `${perDevice(ours).toFixed(3)} ms`,
      baseline: `SDK ${perDevice(sdk).toFixed(3)} ms`,
      ratio: ratioOf(perDevice(ours), perDevice(sdk)),
      target: "at most the SDK's",
      met: perDevice(ours) <= perDevice(sdk),
    });
    record({
      measure: `upsertDevices ${count.toLocaleString("en")}: peak RSS`,
      ours: mb(ours.peakRssMb),
      baseline: `SDK ${mb(sdk.peakRssMb)}`,
      ratio: ratioOf(ours.peakRssMb, sdk.peakRssMb),
      target: "at most 200 MB",
      met: ours.peakRssMb <= 200,
    });
  }
}

/** Runs the pulumi-onesignal CLI as users do, with the report preloaded. */
async function cli(args: string[], env: Record<string, string>): Promise<WorkloadReport> {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-cli-"));
  const report = path.join(dir, "report.json");
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          "--require",
          path.join(ROOT, "bench/report-at-exit.cjs"),
          path.join(ROOT, "dist/provider/cli/index.js"),
          ...args,
        ],
        { cwd: ROOT, env: { ...process.env, ...env, BENCH_REPORT: report }, stdio: ["ignore", "ignore", "ignore"] },
      );
      child.once("exit", (code) =>
        code === 0 ? resolve() : reject(new Error(`pulumi-onesignal ${args[0]} exited with ${code}`)),
      );
    });
    return JSON.parse(readFileSync(report, "utf8")) as WorkloadReport;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A CSV file of the devices at `indices` (by default the first `count`), as `devices import` takes it. */
function importFile(dir: string, count: number, indices?: number[], name = `devices-${count}`): string {
  const file = path.join(dir, `${name}.csv`);
  const lines = [["device_type", "identifier", "language", "tag:cohort"]];
  for (const index of indices ?? Array.from({ length: count }, (_, index) => index)) {
    const device = benchDevice(index);
    lines.push([device.deviceType === "android" ? "1" : "0", device.identifier as string, "en", String(index % 10)]);
  }
  writeFileSync(file, stringify(lines));
  return file;
}

async function benchImport(emulator: BenchEmulator): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-import-"));
  try {
    const peaks: number[] = [];
    for (const count of SIZES) {
      log(`devices import of ${count.toLocaleString("en")} rows`);
      const file = importFile(dir, count);
      const repeat = count > 20_000 ? <T extends Record<string, number>>(run: () => Promise<T>) => run() : medianOf;
      const ours = await repeat(() =>
        bulkRun(emulator, count, (app) =>
          cli(["devices", "import", file, "--app-id", app.appId, "--concurrency", String(SETTINGS.concurrency)], {
            ONESIGNAL_API_URL: emulator.url,
            ONESIGNAL_APP_API_KEY: app.appKey,
          }),
        ),
      );
      const bare = await repeat(() =>
        bulkRun(emulator, count, (app) =>
          runWorkload("bare-import", { url: emulator.url, ...app, file, concurrency: SETTINGS.concurrency }),
        ),
      );
      peaks.push(ours.peakRssMb);
      const ratio = ratioOf(ours.seconds, bare.seconds);
      record({
        measure: `devices import ${count.toLocaleString("en")} rows: time`,
        ours: `${ours.seconds.toFixed(1)} s, ${ours.lost} lost, ${ours.duplicated} duplicated`,
        baseline: `bare HTTP loop ${bare.seconds.toFixed(1)} s`,
        ratio,
        target: "within 1.5x, 0 lost, 0 duplicated",
        met: ratio <= 1.5 && ours.lost === 0 && ours.duplicated === 0,
      });
      record({
        measure: `devices import ${count.toLocaleString("en")} rows: peak RSS`,
        ours: mb(ours.peakRssMb),
        baseline: `bare HTTP loop ${mb(bare.peakRssMb)}`,
        ratio: ratioOf(ours.peakRssMb, bare.peakRssMb),
        target: "at most 200 MB",
        met: ours.peakRssMb <= 200,
      });
    }
    if (peaks.length > 1) {
      const growth = ratioOf(Math.max(...peaks), Math.min(...peaks));
      record({
        measure: `devices import: peak RSS from ${SIZES.map((size) => size.toLocaleString("en")).join(" to ")} rows`,
        ours: peaks.map(mb).join(" to "),
        baseline: "-",
        ratio: growth,
        target: "flat (within 1.5x)",
        met: growth <= 1.5,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchExport(emulator: BenchEmulator): Promise<void> {
  const count = SIZES[0] as number;
  log(`devices export of ${count.toLocaleString("en")} devices`);
  const dir = mkdtempSync(path.join(tmpdir(), "bench-export-"));
  try {
    const app = await freshApp(emulator);
    await runWorkload("upsert-devices", { url: emulator.url, ...app, count, concurrency: SETTINGS.concurrency });
    const out = path.join(dir, "devices.csv");
    const ours = await medianOf(() =>
      cli(["devices", "export", "--app-id", app.appId, "--out", out], {
        ONESIGNAL_API_URL: emulator.url,
        ONESIGNAL_APP_API_KEY: app.appKey,
      }),
    );
    const bare = await medianOf(() => runWorkload("bare-export", { url: emulator.url, ...app, out }));
    const ratio = ratioOf(ours.seconds, bare.seconds);
    record({
      measure: `devices export ${count.toLocaleString("en")} devices: time`,
      ours: `${ours.seconds.toFixed(2)} s`,
      baseline: `bare export ${bare.seconds.toFixed(2)} s`,
      ratio,
      target: "within 1.3x",
      met: ratio <= 1.3,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The devices runner `runner` of `runners` imports: its share (every `runners`-th device), and every fourth device
 * of the next runner's share, which both files hold at about the same place, so both processes send it at about
 * the same moment. A quarter more rows than devices, each device sent once or twice.
 */
function runnerShare(count: number, runners: number, runner: number): number[] {
  const indices: number[] = [];
  for (let index = 0; index < count; index++) {
    const owner = index % runners;
    const overlap = owner === (runner + 1) % runners && Math.floor(index / runners) % 4 === 0;
    if (owner === runner || overlap) indices.push(index);
  }
  return indices;
}

/** Processes that ran at once, as one: the span from the first one's work to the last one's end, CPU added up. */
function together(reports: WorkloadReport[]): WorkloadReport {
  const startedAt = Math.min(...reports.map((report) => report.startedAt));
  const endedAt = Math.max(...reports.map((report) => report.endedAt));
  const sum = (key: string) => reports.reduce((total, report) => total + (report[key] ?? 0), 0);
  return {
    seconds: (endedAt - startedAt) / 1000,
    workSeconds: (endedAt - startedAt) / 1000,
    cpuMs: sum("cpuMs"),
    peakRssMb: Math.max(...reports.map((report) => report.peakRssMb)),
    startedAt,
    endedAt,
    succeeded: sum("succeeded"),
    failed: sum("failed"),
  };
}

/**
 * `devices import` in RUNNERS processes at once into one app, each its share of the devices with some overlap,
 * against as many bare HTTP loops: together, the share of the app's rate limit they reach, and the devices lost or
 * made twice, counted by CSV export.
 */
async function benchRunners(emulator: BenchEmulator): Promise<void> {
  const count = SIZES[0] as number;
  log(`devices import by ${RUNNERS} processes at once: ${count.toLocaleString("en")} devices, some sent twice`);
  const dir = mkdtempSync(path.join(tmpdir(), "bench-runners-"));
  try {
    const shares = Array.from({ length: RUNNERS }, (_, runner) => runnerShare(count, RUNNERS, runner));
    const files = shares.map((indices, runner) => importFile(dir, count, indices, `runner-${runner}`));
    const writes = shares.reduce((total, indices) => total + indices.length, 0);
    const ours = await medianOf(() =>
      bulkRun(emulator, count, async (app) => {
        const reports = await Promise.all(
          files.map((file) =>
            cli(["devices", "import", file, "--app-id", app.appId, "--concurrency", String(SETTINGS.concurrency)], {
              ONESIGNAL_API_URL: emulator.url,
              ONESIGNAL_APP_API_KEY: app.appKey,
            }),
          ),
        );
        // `devices import` exits 0 only when every row made it (cli() throws otherwise).
        return { ...together(reports), succeeded: writes, failed: 0 };
      }),
    );
    const bare = await medianOf(() =>
      bulkRun(emulator, count, async (app) =>
        together(
          await Promise.all(
            files.map((file) =>
              runWorkload("bare-import", { url: emulator.url, ...app, file, concurrency: SETTINGS.concurrency }),
            ),
          ),
        ),
      ),
    );
    // Each row is one write the limit counts, a device sent by two processes twice; over what the limit allows
    // from the first process's first request to the last one's end: a second's burst, then the rate.
    const share = (report: WorkloadReport) => (report.succeeded ?? 0) / (SETTINGS.rateLimit * (report.workSeconds + 1));
    const what = `${RUNNERS} processes, ${count.toLocaleString("en")} devices in ${writes.toLocaleString("en")} rows`;
    record({
      measure: `devices import by ${what}: share of the ${SETTINGS.rateLimit} req/s limit reached`,
      ours: `${(share(ours) * 100).toFixed(1)} %, ${ours.lost} lost, ${ours.duplicated} duplicated`,
      baseline: `bare HTTP loops ${(share(bare) * 100).toFixed(1)} %, ${bare.lost} lost, ${bare.duplicated} duplicated`,
      ratio: share(ours) / share(bare),
      target: "at least 90 %, 0 lost, 0 duplicated",
      met: share(ours) >= 0.9 && ours.lost === 0 && ours.duplicated === 0,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a command to the end, failing on a non-zero exit; its wall time in seconds. */
function timed(command: string, args: string[], env: Record<string, string> = {}): Promise<{ seconds: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let errors = "";
    child.stderr.on("data", (data: Buffer) => {
      errors = `${errors}${data.toString()}`.slice(-2000);
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve({ seconds: (performance.now() - started) / 1000 })
        : reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${errors}`)),
    );
  });
}

/**
 * A warm `npm run demo` (the stack deployed, dist/ current) against a bare run of the same up on the same
 * project (`pulumi:run`'s program, without npm or a build check): the build step must cost next to nothing.
 */
async function benchDemo(): Promise<void> {
  log("npm run demo, warm, against a bare up of the quickstart");
  const dir = mkdtempSync(path.join(tmpdir(), "bench-demo-"));
  const emulator = await startEmulatorProcess({ latencyMs: 0 });
  try {
    const demoState = path.join(dir, "demo");
    const demo = () => timed("npm", ["run", "-s", "demo", "--", "--state", demoState]);
    const bareArgs = [
      "--require",
      path.join(ROOT, "scripts/ts-register.cjs"),
      path.join(ROOT, "scripts/pulumi-run.ts"),
      "up",
      ROOT,
      "--stack",
      "demo",
      "--state",
      path.join(dir, "bare"),
      "--set",
      `onesignal:apiUrl=${emulator.url}`,
      "--set-secret",
      "onesignal:organizationApiKey=BENCH_ORGANIZATION_API_KEY",
    ];
    const bareEnv = { BENCH_ORGANIZATION_API_KEY: emulator.organizationApiKey };
    const bare = () => timed(process.execPath, bareArgs, bareEnv);
    // The first runs create; the measured ones change nothing, as a second `npm run demo` does.
    await demo();
    await bare();
    const ours = await medianOf(demo);
    const baseline = await medianOf(bare);
    const ratio = ratioOf(ours.seconds, baseline.seconds);
    record({
      measure: "npm run demo, warm (no change): time",
      ours: `${ours.seconds.toFixed(1)} s`,
      baseline: `bare pulumi:run up ${baseline.seconds.toFixed(1)} s`,
      ratio,
      target: "within 1.3x",
      met: ratio <= 1.3,
    });
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const wanted = (name: string) => !ONLY || ONLY.includes(name);
  buildWorkloads();
  if (wanted("registration")) await benchRegistration();
  if (wanted("demo")) await benchDemo();
  if (wanted("upserts") || wanted("import") || wanted("runners") || wanted("export")) {
    const emulator = await startEmulatorProcess();
    try {
      if (wanted("upserts")) await benchUpserts(emulator);
      if (wanted("import")) await benchImport(emulator);
      if (wanted("runners")) await benchRunners(emulator);
      if (wanted("export")) await benchExport(emulator);
    } finally {
      await emulator.stop();
    }
  }
  process.stdout.write(
    `\nnode ${process.version}, ${SETTINGS.repeats} runs (median; 100k runs once); emulator: ${SETTINGS.latencyMs} ms per request, ` +
      `${SETTINGS.rateLimit} requests/s per app; concurrency ${SETTINGS.concurrency}\n\n`,
  );
  process.stdout.write(
    "| measure | ours | baseline | ratio | target | met |\n| --- | --- | --- | ---: | --- | --- |\n",
  );
  for (const row of rows) {
    const ratio = row.ratio === undefined ? "-" : `${row.ratio.toFixed(2)}x`;
    process.stdout.write(
      `| ${row.measure} | ${row.ours} | ${row.baseline} | ${ratio} | ${row.target} | ${row.met ? "yes" : "**no**"} |\n`,
    );
  }
  if (rows.some((row) => !row.met)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
