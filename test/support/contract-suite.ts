import { afterAll, beforeAll, expect, it } from "vitest";
import type { EmulatorOptions } from "../../emulator/server";
import { type ContractRun, startContractRun } from "./contract-run";
import type { TestEmulator } from "./emulator";
import { type Contract, contractViolations, coveredOperations } from "./openapi";
import type { Exchange, RecordingProxy } from "./recording-proxy";

/** What a contract area's own hooks and tests use: the emulator, and the proxy its traffic goes through. */
export interface ContractSuite {
  readonly emulator: TestEmulator;
  readonly proxy: RecordingProxy;
}

/** Options of {@link contractSuite}. */
export interface ContractSuiteOptions {
  /** The emulator's options (e.g. `exportDelayMs`). */
  emulator?: Omit<EmulatorOptions, "port" | "host">;
  /** Each exchange that went through the proxy, with the description it is held to. */
  exchanges: (proxy: RecordingProxy) => { contract: Contract; exchange: Exchange }[];
  /** Every operation and status the area's exercise must have covered. */
  operations: string[];
}

/**
 * The contract tier's shape, for the enclosing `describe`: an emulator behind a recording proxy, started before
 * the area's own `beforeAll` (which exercises the client through `suite.proxy`) and closed after; then the two
 * checks every area makes of what went through: every operation covered, and no violation either way.
 */
export function contractSuite(options: ContractSuiteOptions): ContractSuite {
  let run: ContractRun | undefined;
  const started = (): ContractRun => {
    if (!run) throw new Error("the contract suite has not started (use it inside beforeAll or a test)");
    return run;
  };
  beforeAll(async () => {
    run = await startContractRun(options.emulator);
  });
  afterAll(async () => run?.close());

  it("covers every route it exercises, successes and errors", () => {
    expect(coveredOperations(options.exchanges(started().proxy))).toEqual([...options.operations].sort());
  });
  it("every request and response validates, with no read-only field sent and no write-only field returned", () => {
    expect(contractViolations(options.exchanges(started().proxy))).toEqual([]);
  });

  return {
    get emulator() {
      return started().emulator;
    },
    get proxy() {
      return started().proxy;
    },
  };
}
