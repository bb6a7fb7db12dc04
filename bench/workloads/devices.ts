/** The devices every bulk workload writes: the same fields, the same identifiers. */
import type { DeviceUpsert } from "pulumi-onesignal";

/** Device `index` of a run. */
export function benchDevice(index: number): DeviceUpsert {
  return {
    deviceType: index % 2 === 0 ? "android" : "ios",
    identifier: `benchtoken${index}`,
    language: "en",
    tags: { cohort: String(index % 10) },
  };
}

/** The first `count` devices, one at a time. */
export function* benchDevices(count: number): Generator<DeviceUpsert> {
  for (let index = 0; index < count; index++) yield benchDevice(index);
}

/** The identifiers of the first `count` devices. */
export function* benchIdentifiers(count: number): Generator<string> {
  for (let index = 0; index < count; index++) yield `benchtoken${index}`;
}

/** What the bulk workloads are given: where, which app, how many devices, how many requests at once. */
export interface BulkArgs {
  url: string;
  appId: string;
  appKey: string;
  count: number;
  concurrency: number;
}
