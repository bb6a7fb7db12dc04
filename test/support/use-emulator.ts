/**
 * The emulator set-up most test files share, as one call: an emulator on a free loopback port, started
 * before the enclosing suite's own hooks and closed after them; with {@link useEmulatorApp}, an app and its
 * key too. What they return is a handle that reaches the running emulator (and app) once the hooks have run,
 * so a file declares it once, at the top, instead of a `let` and three hooks.
 */
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { EmulatorOptions } from "../../emulator/server";
import { startTestEmulator, type TestEmulator } from "./emulator";
import { type AppWithKey, createAppWithKey } from "./fixtures";

/** An emulator's own options, less where it listens: tests always take 127.0.0.1 and a free port. */
export type TestEmulatorOptions = Omit<EmulatorOptions, "port" | "host">;

/** Options of {@link useEmulator} and {@link useEmulatorApp}. */
export interface UseEmulatorOptions {
  /** The emulator's options (e.g. `exportDelayMs`). */
  emulator?: TestEmulatorOptions;
  /**
   * Reset the emulator before each test (state, request log and injected faults), so that no test sees
   * another's; with {@link useEmulatorApp}, each test then gets an app of its own.
   */
  resetEach?: boolean;
}

/** A value that exists only once a hook has made it, and the object that stands for it until then. */
export interface Late<T extends object> {
  /** Stands for the value: each member read reaches the value of the moment. */
  readonly value: T;
  /** Sets (or, with `undefined`, clears) the value. */
  set(value: T | undefined): void;
  /** The value, or `undefined` before it is set. */
  get(): T | undefined;
}

/**
 * A stand-in for a value a hook makes later. Reading a member before the value exists throws, naming `what`,
 * rather than answering `undefined`: a test that runs too early fails where it reads.
 */
export function late<T extends object>(what: string): Late<T> {
  let current: T | undefined;
  const now = (): T => {
    if (!current) throw new Error(`${what} is not there yet: use it inside a hook or a test, after the set-up ran`);
    return current;
  };
  // A Proxy rather than getters: the stand-in follows T's members, whatever they are now or later.
  const value = new Proxy({} as T, {
    get: (_target, key) => Reflect.get(now(), key),
    has: (_target, key) => Reflect.has(now(), key),
    ownKeys: () => Reflect.ownKeys(now()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(now(), key);
      // The empty target holds nothing, so a proxy may only report configurable properties.
      return descriptor && { ...descriptor, configurable: true };
    },
  });
  return {
    value,
    set: (next) => {
      current = next;
    },
    get: () => current,
  };
}

/** An emulator a file holds before it runs: {@link start} and {@link close} are for the hooks that own it. */
export interface LateEmulator {
  /** The running emulator (inside hooks and tests). */
  readonly emulator: TestEmulator;
  /** Starts it on 127.0.0.1 and a free port. */
  start(options?: TestEmulatorOptions): Promise<void>;
  /** Closes it, if it started. */
  close(): Promise<void>;
}

/** An emulator to be started later; for hooks registered elsewhere than where it is declared (e.g. the e2e tier). */
export function lateEmulator(): LateEmulator {
  const running = late<TestEmulator>("the emulator");
  return {
    emulator: running.value,
    async start(options = {}) {
      running.set(await startTestEmulator(options));
    },
    async close() {
      const emulator = running.get();
      running.set(undefined);
      await emulator?.close();
    },
  };
}

/** Resets the emulator and, whatever `reset()` covers, clears injected faults: a test's faults must not meet the next. */
async function resetEmulator(emulator: TestEmulator): Promise<void> {
  await emulator.reset();
  // On a connection of its own, as the admin helpers in ./emulator do: a kept-alive one may be closed under it.
  await fetch(`${emulator.url}/_emulator/faults`, { method: "DELETE", headers: { connection: "close" } });
}

/** Registers, in the enclosing suite, the hooks that start, reset (with `resetEach`) and close `running`. */
export function emulatorHooks(running: LateEmulator, options: UseEmulatorOptions = {}): void {
  beforeAll(async () => {
    await running.start(options.emulator);
  });
  afterAll(async () => {
    await running.close();
  });
  if (options.resetEach) {
    beforeEach(async () => {
      await resetEmulator(running.emulator);
    });
  }
}

/**
 * An emulator for the enclosing suite (a file, or a `describe`): started in `beforeAll`, before the suite's
 * own hooks, closed in `afterAll`; with `resetEach`, reset before each test.
 */
export function useEmulator(options: UseEmulatorOptions = {}): { readonly emulator: TestEmulator } {
  const running = lateEmulator();
  emulatorHooks(running, options);
  return { emulator: running.emulator };
}

/** An app and its key on the emulator, with what the package's functions and its CLI take to reach them. */
export interface EmulatorApp extends AppWithKey {
  /** The emulator's URL and the app's key, as the package's functions take them. */
  readonly opts: { apiUrl: string; apiKey: string };
  /** The environment the CLI reads them from. */
  readonly env: { ONESIGNAL_API_URL: string; ONESIGNAL_APP_API_KEY: string; ONESIGNAL_APP_ID: string };
}

/**
 * {@link useEmulator}, and an app with a key made through its API: once for the suite, or, with `resetEach`,
 * for each test after the reset. The app's members are there from the suite's own hooks on.
 */
export function useEmulatorApp(options: UseEmulatorOptions = {}): {
  readonly emulator: TestEmulator;
  readonly app: EmulatorApp;
} {
  const running = lateEmulator();
  const made = late<EmulatorApp>("the emulator's app");
  const makeApp = async () => {
    const { emulator } = running;
    const created = await createAppWithKey(emulator);
    made.set({
      ...created,
      opts: { apiUrl: emulator.url, apiKey: created.appKey },
      env: { ONESIGNAL_API_URL: emulator.url, ONESIGNAL_APP_API_KEY: created.appKey, ONESIGNAL_APP_ID: created.appId },
    });
  };
  // The reset (when asked) goes first, then the app: one hook, so the order is plain.
  emulatorHooks(running, { emulator: options.emulator });
  if (options.resetEach) {
    beforeEach(async () => {
      await resetEmulator(running.emulator);
      await makeApp();
    });
  } else {
    beforeAll(makeApp);
  }
  return { emulator: running.emulator, app: made.value };
}
