/**
 * Workload: the official `@onesignal/node-onesignal` client (5.x) storing the same devices at the same
 * concurrency, with 429s retried as its user would write it: wait what Retry-After says, then try again.
 *
 * 5.x has no call for the legacy `/players` endpoint (no `createPlayer`): a device is a subscription of a user, so
 * each device is one `createUser` (POST /apps/{app_id}/users) with the device as its one subscription (type
 * `AndroidPush` or `iOSPush`, the token), the language and tags as the user's properties, and one alias naming the
 * user after the token (OneSignal wants an identity to create a user). One request per device, as `upsertDevices`
 * makes; a token OneSignal knows is the same subscription, so a retry makes nothing twice.
 */
import * as OneSignal from "@onesignal/node-onesignal";
import pLimit from "p-limit";
import { reportWorkload, workloadArgs } from "../support";
import { type BulkArgs, benchDevice } from "./devices";

const { url, appId, appKey, count, concurrency } = workloadArgs<BulkArgs>();

void reportWorkload(async () => {
  const api = new OneSignal.DefaultApi(
    OneSignal.createConfiguration({ restApiKey: appKey, baseServer: new OneSignal.ServerConfiguration(url, {}) }),
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
        const token = device.identifier as string;
        const subscription = new OneSignal.Subscription();
        subscription.type = device.deviceType === "android" ? "AndroidPush" : "iOSPush";
        subscription.token = token;
        const properties = new OneSignal.PropertiesObject();
        properties.language = device.language as string;
        properties.tags = device.tags as Record<string, string>;
        const user = new OneSignal.User();
        user.identity = { bench_device: token };
        user.properties = properties;
        user.subscriptions = [subscription];
        for (;;) {
          try {
            await api.createUser(appId, user);
            succeeded += 1;
            return;
          } catch (error) {
            // Its users test the status code of the SDK's ApiException.
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
