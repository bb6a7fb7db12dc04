/** Workload: `upsertDevices` of `count` generated devices, fed as an async iterable (nothing held up front). */
import { type DeviceUpsert, upsertDevices } from "pulumi-onesignal";
import { reportWorkload, workloadArgs } from "../support";
import { type BulkArgs, benchDevices } from "./devices";

const { url, appId, appKey, count, concurrency } = workloadArgs<BulkArgs>();

async function* devices(): AsyncGenerator<DeviceUpsert> {
  yield* benchDevices(count);
}

void reportWorkload(async () => {
  // As a stream of any length is upserted: the count of what made it, not each id.
  const result = await upsertDevices(appId, devices(), {
    apiUrl: url,
    apiKey: appKey,
    concurrency,
    total: count,
    keepSucceeded: false,
  });
  return { succeeded: result.succeededCount, failed: result.failed.length };
});
