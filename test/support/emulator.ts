import { type EmulatorOptions, type RunningEmulator, startEmulator } from "../../emulator/server";

/** A request as the emulator's log shows it. */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  durationMs: number;
}

/** A running emulator on a free loopback port, with helpers for its admin endpoints. */
export interface TestEmulator extends RunningEmulator {
  /** The request log, oldest first. */
  requests(): Promise<LoggedRequest[]>;
  /** The requests made while `run` ran, as "METHOD path" (with `withStatus`, "METHOD path status"). */
  requestsDuring(run: () => Promise<unknown>, options?: { withStatus?: boolean }): Promise<string[]>;
  /** Injects a fault (`POST /_emulator/faults`). */
  fault(spec: Record<string, unknown>): Promise<void>;
  /** Resolves once every injected fault has met its requests (`GET /_emulator/faults` is empty). */
  waitForFaults(): Promise<void>;
  /** Clears every injected fault. */
  clearFaults(): Promise<void>;
  /** Calls the emulated API directly with a key (`null`: with no `Authorization` header at all). */
  api<T = unknown>(
    method: string,
    path: string,
    key: string | null,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
}

/**
 * `fetch` on a connection of its own: a kept-alive one may be closed by the server's keep-alive timeout
 * just as a request goes out on it, which would look like a fault the test did not inject.
 */
function fetchFresh(url: string, init: RequestInit & { headers: Record<string, string> }): Promise<Response> {
  return fetch(url, { ...init, headers: { ...init.headers, connection: "close" } });
}

/** Starts an emulator for a test file; close it in `afterAll`. */
export async function startTestEmulator(options: Omit<EmulatorOptions, "port" | "host"> = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ port: 0, host: "127.0.0.1", ...options });
  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetchFresh(`${emulator.url}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as unknown;
  };
  const requests = async () => (await admin("GET", "/_emulator/requests")) as LoggedRequest[];
  return {
    ...emulator,
    requests,
    requestsDuring: async (run, options = {}) => {
      const before = (await requests()).length;
      await run();
      return (await requests())
        .slice(before)
        .map((entry) => `${entry.method} ${entry.path}${options.withStatus ? ` ${entry.status}` : ""}`);
    },
    fault: async (spec) => {
      await admin("POST", "/_emulator/faults", spec);
    },
    waitForFaults: async () => {
      while (((await admin("GET", "/_emulator/faults")) as unknown[]).length > 0) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    clearFaults: async () => {
      await admin("DELETE", "/_emulator/faults");
    },
    api: async <T>(method: string, path: string, key: string | null, body?: unknown) => {
      const authorization: Record<string, string> = key === null ? {} : { authorization: `Key ${key}` };
      const response = await fetchFresh(`${emulator.url}${path}`, {
        method,
        headers: { "content-type": "application/json", ...authorization },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
  };
}
