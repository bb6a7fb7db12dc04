/**
 * Workload: the official `@onesignal/node-onesignal` client making the same calls (createPlayer) at the same
 * concurrency, with 429s retried as its user would write it: wait what Retry-After says, then try again.
 */
import * as OneSignal from "@onesignal/node-onesignal";
import pLimit from "p-limit";
import { reportWorkload, workloadArgs } from "../support";
import { type BulkArgs, benchDevice } from "./devices";

const { url, appId, appKey, count, concurrency } = workloadArgs<BulkArgs>();

void reportWorkload(async () => {
  const api = new OneSignal.DefaultApi(
    OneSignal.createConfiguration({ appKey, baseServer: new OneSignal.ServerConfiguration(url, {}) }),
  );
  const limit = pLimit(concurrency);
  let succeeded = 0;
  let failed = 0;
  let rateLimited = 0;
  const tasks: Promise<void>[] = [];
  for (let index = 0; index < count; index++) {
    tasks.push(
      limit(async () => {
        const device = benchDevice(index);
        for (;;) {
          try {
            await api.createPlayer({
              app_id: appId,
              device_type: device.deviceType === "android" ? 1 : 0,
              identifier: device.identifier ?? null,
              language: "en",
              tags: device.tags as object,
            } as OneSignal.Player);
            succeeded += 1;
            return;
          } catch (error) {
            // The SDK's errors are not instances of the ApiException it exports: its users test the code.
            const { code, headers } = error as { code?: number; headers?: Record<string, string> };
            if (code === 429) {
              rateLimited += 1;
              const seconds = Number(headers?.["retry-after"] ?? 1);
              await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
              continue;
            }
            failed += 1;
            if (process.env.BENCH_DEBUG && failed < 3) process.stderr.write(`${String(error).slice(0, 400)}\n`);
            return;
          }
        }
      }),
    );
  }
  await Promise.all(tasks);
  return { succeeded, failed, rateLimited };
});
