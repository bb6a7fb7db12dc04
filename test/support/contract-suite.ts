import { afterAll, beforeAll, expect, it } from "vitest";
import { type ContractRun, startContractRun } from "./contract-run";
import type { TestEmulator } from "./emulator";
import { type AppWithKey, createAppWithKey } from "./fixtures";
import { type Contract, contractViolations, coveredOperations, loadContract } from "./openapi";
import type { Exchange, RecordingProxy } from "./recording-proxy";
import { late, type TestEmulatorOptions } from "./use-emulator";

/** What a contract area's own hooks and tests use: the emulator, the proxy its traffic goes through, and more. */
export interface ContractSuite {
  readonly emulator: TestEmulator;
  readonly proxy: RecordingProxy;
  /** The first of the area's descriptions, loaded. */
  readonly contract: Contract;
  /** With `app: true`, the app and key made for the area. */
  readonly app: AppWithKey;
}

/** Options of {@link contractSuite}. */
export interface ContractSuiteOptions {
  /** The emulator's options (e.g. `exportDelayMs`). */
  emulator?: TestEmulatorOptions;
  /** The descriptions the area is held to, by file name (default: `onesignal-current.yaml` alone). */
  descriptions?: string[];
  /** The description (one of `descriptions`) each exchange is held to; default: the first. */
  describedBy?: (exchange: Exchange) => string;
  /** Makes an app and its key on the emulator itself, not through the proxy, so they are no exchange of the area's. */
  app?: boolean;
  /** Exercises the client through `suite.proxy`, once everything above is set up (in the suite's `beforeAll`). */
  exercise(suite: ContractSuite): Promise<void>;
  /** Every operation and status the exercise must have covered. */
  operations: string[];
}

/** The state the suite's hooks set up, all at once. */
interface Started {
  run: ContractRun;
  contracts: Map<string, Contract>;
  app?: AppWithKey;
}

/**
 * The contract tier's shape, for the enclosing `describe`: an emulator behind a recording proxy, started (and the
 * descriptions loaded, and with `app`, an app made) in `beforeAll`, where the area's `exercise` then runs; closed
 * in `afterAll`; and the two checks every area makes of what went through: every operation covered, and no
 * violation either way.
 */
export function contractSuite(options: ContractSuiteOptions): ContractSuite {
  const files = options.descriptions ?? ["onesignal-current.yaml"];
  const describedBy = options.describedBy ?? (() => files[0] as string);
  const started = late<Started>("the contract suite");
  beforeAll(async () => {
    const state: Started = { run: await startContractRun(options.emulator), contracts: new Map() };
    // Set before the rest, so that afterAll closes the run even when a description fails to load.
    started.set(state);
    for (const file of files) state.contracts.set(file, await loadContract(file));
    if (options.app) state.app = await createAppWithKey(state.run.emulator);
    await options.exercise(suite);
  });
  afterAll(async () => started.get()?.run.close());

  const held = () =>
    started.value.run.proxy.exchanges
      // Prepared files are fetched from the emulator's stand-in for OneSignal's file host, which no description covers.
      .filter((exchange) => !exchange.path.startsWith("/csv_exports/"))
      .map((exchange) => ({ contract: started.value.contracts.get(describedBy(exchange)) as Contract, exchange }));
  it("covers every route it exercises, successes and errors", () => {
    expect(coveredOperations(held())).toEqual([...options.operations].sort());
  });
  it("every request and response validates, with no read-only field sent and no write-only field returned", () => {
    expect(contractViolations(held())).toEqual([]);
  });

  const suite: ContractSuite = {
    get emulator() {
      return started.value.run.emulator;
    },
    get proxy() {
      return started.value.run.proxy;
    },
    get contract() {
      return started.value.contracts.get(files[0] as string) as Contract;
    },
    get app() {
      const { app } = started.value;
      if (!app) throw new Error("the contract suite made no app (give it `app: true`)");
      return app;
    },
  };
  return suite;
}
