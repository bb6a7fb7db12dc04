import { OneSignalError } from "../client/errors";
import { fetchPreparedFile } from "../client/exports";

/** How to wait for a file OneSignal prepares (an export, a history). */
export interface WaitOptions {
  /** The first wait between checks (default 2 s); it doubles up to 30 s. */
  pollIntervalMs?: number;
  /** How long to wait in all (default 10 minutes). */
  timeoutMs?: number;
  /** Called on each check while the file is not ready yet. */
  onWait?: (waitedMs: number) => void;
}

/** Downloads a file that answers 403 until it is ready, checking again with backoff. */
export async function waitForFile(url: string, what: string, options: WaitOptions = {}): Promise<Buffer> {
  const started = Date.now();
  const timeout = options.timeoutMs ?? 600_000;
  let wait = options.pollIntervalMs ?? 2_000;
  for (;;) {
    const file = await fetchPreparedFile(url);
    if (file) return file;
    const waited = Date.now() - started;
    if (waited + wait > timeout) {
      throw new OneSignalError(
        `The ${what} was not ready after ${Math.round(waited / 1000)} s; OneSignal may still be preparing it: try a longer timeoutMs.`,
      );
    }
    options.onWait?.(waited);
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, 30_000);
  }
}
