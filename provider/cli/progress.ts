/** No estimate before this share of the work is done: the first burst of requests says little of the rate. */
export const ETA_MIN_FRACTION = 0.05;
/** No estimate before this long: a second of connection set-up would otherwise weigh on it. */
export const ETA_MIN_ELAPSED_MS = 2_000;

/**
 * The seconds left, from the rate averaged over the whole run so far (work done / time taken), not over the
 * last few updates, which jump with each burst of answers. Undefined while the total is unknown or too little
 * is done to tell; 0 once done.
 */
export function etaSeconds(done: number, total: number | undefined, elapsedMs: number): number | undefined {
  if (total === undefined || !(total > 0)) return undefined;
  if (done >= total) return 0;
  if (done <= 0 || done / total < ETA_MIN_FRACTION || elapsedMs < ETA_MIN_ELAPSED_MS) return undefined;
  return Math.ceil(((elapsedMs / done) * (total - done)) / 1000);
}

/** A duration for people: `45s`, `6m30s`, `2h05m`; `--` when unknown. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return "--";
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole}s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}m${String(whole % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/** How often a wait that goes on is mentioned again, with the time waited. */
export const WAIT_NOTICE_INTERVAL_MS = 30_000;

/**
 * An `onWait` callback that says it waits once, then again only every {@link WAIT_NOTICE_INTERVAL_MS} with the
 * time waited: the functions call it on every check, a few times a second at first, which in a CI log (no
 * terminal to redraw a line on) would be a screenful of the same line.
 */
export function waitNotice(what: string, write: (line: string) => void): (waitedMs: number) => void {
  let lastShownMs: number | undefined;
  return (waitedMs) => {
    if (lastShownMs === undefined) {
      write(`waiting for OneSignal to prepare ${what}...\n`);
      lastShownMs = waitedMs;
    } else if (waitedMs - lastShownMs >= WAIT_NOTICE_INTERVAL_MS) {
      write(`still waiting for OneSignal to prepare ${what} (${formatDuration(waitedMs / 1000)})\n`);
      lastShownMs = waitedMs;
    }
  };
}
