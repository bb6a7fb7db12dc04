/**
 * `npm run bench:upsert-devices`: 10,000 devices into a local emulator (its own process, with
 * OneSignal-like per-app rate limits), three ways: `upsertDevices`, a naive sequential loop of
 * `addDevice`, and the official `@onesignal/node-onesignal` client making the same calls with the same
 * concurrency. Prints devices per second, the 429s seen, failures, and the ratios.
 *
 * The emulator adds a network round trip to every request (BENCH_LATENCY_MS, 20 ms): on loopback a
 * sequential loop would look as fast as anything. At that latency a sequential loop of 10,000 takes
 * minutes, so it runs on the first BENCH_SEQUENTIAL_DEVICES (1,000) and its rate is reported as sampled.
 *
 * Options (env): BENCH_DEVICES (10000), BENCH_CONCURRENCY (32), BENCH_RATE_LIMIT (requests/s per app,
 * 1000), BENCH_LATENCY_MS (20), BENCH_SEQUENTIAL_DEVICES (1000).
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import * as OneSignal from "@onesignal/node-onesignal";
import pLimit from "p-limit";
import { addDevice, type DeviceUpsert, upsertDevices } from "../provider/index";

const ROOT = path.resolve(__dirname, "..");
const DEVICES = Number(process.env.BENCH_DEVICES ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const RATE_LIMIT = Number(process.env.BENCH_RATE_LIMIT ?? 1000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const SEQUENTIAL_DEVICES = Math.min(DEVICES, Number(process.env.BENCH_SEQUENTIAL_DEVICES ?? 1000));

interface Emulator {
  url: string;
  organizationApiKey: string;
  stop(): Promise<void>;
}

async function startEmulatorProcess(): Promise<Emulator> {
  const args = [path.join(ROOT, "dist/emulator/cli.js"), "--port", "0", "--latency-ms", String(LATENCY_MS)];
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (data: Buffer) => {
      output += data.toString();
      if (output.split("\n").length > 3) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the emulator exited with ${code}`)));
  });
  const url = /listening on (\S+)/.exec(output)?.[1] as string;
  const organizationApiKey = /Organization API key: (\S+)/.exec(output)?.[1] as string;
  return {
    url,
    organizationApiKey,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

async function call<T>(emulator: Emulator, method: string, route: string, key?: string, body?: unknown): Promise<T> {
  const response = await fetch(`${emulator.url}${route}`, {
    method,
    headers: { "content-type": "application/json", ...(key ? { authorization: `Key ${key}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as T;
}

/** A fresh app with a key and the rate limit on, as OneSignal would have it. */
async function freshApp(emulator: Emulator): Promise<{ appId: string; appKey: string }> {
  await call(emulator, "POST", "/_emulator/reset");
  const app = await call<{ id: string }>(emulator, "POST", "/apps", emulator.organizationApiKey, { name: "bench" });
  const key = await call<{ formatted_token: string }>(
    emulator,
    "POST",
    `/apps/${app.id}/auth/tokens`,
    emulator.organizationApiKey,
    {
      name: "bench",
    },
  );
  await call(emulator, "POST", "/_emulator/rate-limits", undefined, { appId: app.id, requestsPerSecond: RATE_LIMIT });
  return { appId: app.id, appKey: key.formatted_token };
}

function devices(count = DEVICES): DeviceUpsert[] {
  return Array.from({ length: count }, (_, index) => ({
    deviceType: index % 2 === 0 ? "android" : "ios",
    identifier: `benchtoken${index}`,
    language: "en",
    tags: { cohort: String(index % 10) },
  }));
}

interface Run {
  name: string;
  devices: number;
  seconds: number;
  succeeded: number;
  failed: number;
  rateLimited: number;
  stored: number;
}

async function measure(
  emulator: Emulator,
  name: string,
  count: number,
  work: (appId: string, appKey: string) => Promise<{ succeeded: number; failed: number }>,
): Promise<Run> {
  const { appId, appKey } = await freshApp(emulator);
  process.stderr.write(`${name}...\n`);
  const started = performance.now();
  const { succeeded, failed } = await work(appId, appKey);
  const seconds = (performance.now() - started) / 1000;
  const log = await call<{ status: number }[]>(emulator, "GET", "/_emulator/requests");
  const stored = (await call<{ total_count: number }>(emulator, "GET", `/players?app_id=${appId}&limit=1`, appKey))
    .total_count;
  return {
    name,
    devices: count,
    seconds,
    succeeded,
    failed,
    rateLimited: log.filter((entry) => entry.status === 429).length,
    stored,
  };
}

async function main(): Promise<void> {
  const emulator = await startEmulatorProcess();
  const runs: Run[] = [];
  try {
    runs.push(
      await measure(emulator, `upsertDevices (concurrency ${CONCURRENCY})`, DEVICES, async (appId, appKey) => {
        const result = await upsertDevices(appId, devices(), {
          apiUrl: emulator.url,
          apiKey: appKey,
          concurrency: CONCURRENCY,
        });
        return { succeeded: result.succeeded.length, failed: result.failed.length };
      }),
    );
    runs.push(
      await measure(emulator, "naive sequential loop of addDevice", SEQUENTIAL_DEVICES, async (appId, appKey) => {
        let succeeded = 0;
        let failed = 0;
        for (const device of devices(SEQUENTIAL_DEVICES)) {
          try {
            await addDevice(appId, device, { apiUrl: emulator.url, apiKey: appKey });
            succeeded += 1;
          } catch {
            failed += 1;
          }
        }
        return { succeeded, failed };
      }),
    );
    runs.push(
      await measure(
        emulator,
        `@onesignal/node-onesignal createPlayer (concurrency ${CONCURRENCY})`,
        DEVICES,
        async (appId, appKey) => {
          const api = new OneSignal.DefaultApi(
            OneSignal.createConfiguration({ appKey, baseServer: new OneSignal.ServerConfiguration(emulator.url, {}) }),
          );
          const limit = pLimit(CONCURRENCY);
          let succeeded = 0;
          let failed = 0;
          await Promise.all(
            devices().map((device) =>
              limit(async () => {
                try {
                  await api.createPlayer({
                    app_id: appId,
                    device_type: device.deviceType === "android" ? 1 : 0,
                    identifier: device.identifier ?? null,
                    language: "en",
                    tags: device.tags as object,
                  } as OneSignal.Player);
                  succeeded += 1;
                } catch {
                  failed += 1;
                }
              }),
            ),
          );
          return { succeeded, failed };
        },
      ),
    );
  } finally {
    await emulator.stop();
  }

  const base = runs[0] as Run;
  const rate = (run: Run) => run.succeeded / run.seconds;
  process.stdout.write(
    `\nemulator: ${LATENCY_MS} ms per request, rate limit ${RATE_LIMIT} requests/s per app; node ${process.version}\n\n`,
  );
  process.stdout.write(
    "| way | devices | devices/s | seconds | stored | failed | 429s seen | throughput vs upsertDevices |\n",
  );
  process.stdout.write("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  for (const run of runs) {
    process.stdout.write(
      `| ${run.name} | ${run.devices} | ${Math.round(rate(run))} | ${run.seconds.toFixed(1)} | ${run.stored} | ${run.failed} | ${run.rateLimited} | ${(rate(run) / rate(base)).toFixed(2)}x |\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
