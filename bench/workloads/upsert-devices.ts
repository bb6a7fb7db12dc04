/** Workload: `upsertDevices` of `count` generated devices, fed as an async iterable (nothing held up front). */
import { type DeviceUpsert, upsertDevices } from "pulumi-onesignal";
import { reportWorkload, workloadArgs } from "../support";
import { benchDevices } from "./devices";

const { url, appId, appKey, count, concurrency } = workloadArgs<{
  url: string;
  appId: string;
  appKey: string;
  count: number;
  concurrency: number;
}>();

async function* devices(): AsyncGenerator<DeviceUpsert> {
  yield* benchDevices(count);
}

void reportWorkload(async () => {
  const result = await upsertDevices(appId, devices(), { apiUrl: url, apiKey: appKey, concurrency, total: count });
  return { succeeded: result.succeeded.length, failed: result.failed.length };
});
