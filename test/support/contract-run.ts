import { startTestEmulator, type TestEmulator } from "./emulator";
import { type RecordingProxy, startRecordingProxy } from "./recording-proxy";
import type { TestEmulatorOptions } from "./use-emulator";

/** An emulator with a recording proxy in front: what a contract test sends its traffic through. */
export interface ContractRun {
  emulator: TestEmulator;
  proxy: RecordingProxy;
  close(): Promise<void>;
}

/** Starts an emulator and a recording proxy in front of it; close both in `afterAll`. */
export async function startContractRun(options: TestEmulatorOptions = {}): Promise<ContractRun> {
  const emulator = await startTestEmulator(options);
  const proxy = await startRecordingProxy(emulator.url);
  return {
    emulator,
    proxy,
    async close() {
      await proxy.close();
      await emulator.close();
    },
  };
}
