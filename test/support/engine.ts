import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { EngineHarness, type EngineOptions } from "../engine/engine";
import type { TestEmulator } from "./emulator";
import { ROOT } from "./processes";

/** An engine harness for a program of this repository, pointed at an emulator, with fresh state. */
export function engineFor(
  emulator: TestEmulator,
  programDir: string,
  options: Partial<EngineOptions> & { config?: Record<string, string> } = {},
): EngineHarness {
  const dir = mkdtempSync(path.join(tmpdir(), "engine-state-"));
  return new EngineHarness({
    programDir: path.resolve(ROOT, programDir),
    stateFile: path.join(dir, "state.json"),
    secretConfigKeys: ["onesignal:organizationApiKey"],
    ...options,
    config: {
      "onesignal:apiUrl": emulator.url,
      "onesignal:organizationApiKey": emulator.organizationApiKey,
      ...options.config,
    },
  });
}
