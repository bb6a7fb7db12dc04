import { OneSignalError, outcomeUnknown } from "../client/errors";
import type { Dated } from "../client/http";

/**
 * How far a creation time may stray from the window the request ran in, as seen on OneSignal's clock
 * (the Date header has whole seconds, and OneSignal's servers differ a little among themselves).
 */
export const MARGIN_MS = 30_000;

/** An object a lost create may have made, as a list shows it. */
export interface Candidate {
  id: string;
  name?: string | undefined;
  /** ISO text or Unix seconds, as OneSignal gives it. */
  createdAt?: string | number | undefined;
}

/** A creation time in ms, from ISO text or Unix seconds. */
function createdMs(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") return value < 1e12 ? value * 1000 : value;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/**
 * The candidates that request could have made: the same name, created while it ran. The window is placed
 * on OneSignal's clock (the list's Date header, less the time that passed here since the request began),
 * so a clock that is off on either side neither hides the lost object nor lets an older one in. Without a
 * Date header, this machine's clock is used.
 */
export function madeByRequest(
  candidates: Candidate[],
  name: string,
  window: { startedAt: number; listedAt: number; serverDate?: number | undefined },
): Candidate[] {
  const end = window.serverDate ?? window.listedAt;
  const start = end - (window.listedAt - window.startedAt);
  return candidates.filter((candidate) => {
    const created = createdMs(candidate.createdAt);
    return (
      candidate.name === name && created !== undefined && created >= start - MARGIN_MS && created <= end + MARGIN_MS
    );
  });
}

/** How {@link createOnce} makes, finds and adopts one kind of object, listed as `L`. */
export interface CreateOnce<T, L> {
  /** What it is, for messages ("app", "API key"). */
  kind: string;
  /** The declared name, which the lost create gave the object. */
  name: string;
  create(): Promise<T>;
  /** The objects that exist now, with OneSignal's clock at the answer (called only after an unknown outcome). */
  list(): Promise<Dated<L[]>>;
  /** A listed object's id, name and creation time. */
  candidate(listed: L): Candidate;
  /** Takes over the one object the lost create made. */
  adopt(id: string): Promise<T>;
  /** What to do when several could be it (default: set `adoptExistingId`). */
  ambiguityAdvice?: string;
}

/**
 * Creates an object exactly once. When the create's outcome is unknown, it finds what that request made
 * and adopts it, rather than sending a second create: OneSignal has no idempotency key for these, and a
 * second app can never be deleted, a second API key is a live credential nobody holds.
 */
export async function createOnce<T, L>(how: CreateOnce<T, L>): Promise<T> {
  const startedAt = Date.now();
  try {
    return await how.create();
  } catch (error) {
    if (!outcomeUnknown(error)) throw error;
    const cause = error instanceof Error ? error.message : String(error);
    const listed = await how.list();
    const made = madeByRequest(listed.value.map(how.candidate), how.name, {
      startedAt,
      listedAt: Date.now(),
      serverDate: listed.serverDate,
    });
    if (made.length === 1) return how.adopt((made[0] as Candidate).id);
    if (made.length === 0) {
      throw new OneSignalError(
        `Creating the ${how.kind} "${how.name}" failed (${cause}), and OneSignal has no ${how.kind} of that name made ` +
          "since: nothing was created. Run the deployment again.",
        { cause: error },
      );
    }
    throw new OneSignalError(
      `Creating the ${how.kind} "${how.name}" got no clear answer (${cause}), and ${made.length} ${how.kind}s of that ` +
        `name were made since: ${made.map((candidate) => candidate.id).join(", ")}. ` +
        (how.ambiguityAdvice ??
          "Set adoptExistingId to the one to keep (and delete the others), so that no further one is made."),
      { cause: error },
    );
  }
}
