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

/** How to find the objects, listed as `L`, that a create of one declared object would duplicate. */
export interface NameLookup<L> {
  /** What it is, for messages ("app", "API key"). */
  kind: string;
  /** The declared name, which a create gives the object. */
  name: string;
  /** The objects that exist now, with OneSignal's clock at the answer. */
  list(): Promise<Dated<L[]>>;
  /** A listed object's id, name and creation time. */
  candidate(listed: L): Candidate;
  /** Whether a listed object of the same name is one this create would duplicate (default: every one). */
  sameKind?(listed: L): boolean;
  /** How to take over an object of that name that exists already (ends a sentence, no final period). */
  adoptAdvice(id: string): string;
}

/** How {@link createOnce} makes, finds and adopts one kind of object, listed as `L`. */
export interface CreateOnce<T, L> extends NameLookup<L> {
  create(): Promise<T>;
  /** Takes over the one object the lost create made. */
  adopt(id: string): Promise<T>;
  /** What to do when several could be it (default: set `adoptExistingId`). */
  ambiguityAdvice?: string;
}

/** The objects that exist with the declared name (and kind), which a create would duplicate. */
export async function sameNamed<L>(how: NameLookup<L>): Promise<Candidate[]> {
  const sameKind = how.sameKind ?? (() => true);
  return (await how.list()).value
    .filter(sameKind)
    .map(how.candidate)
    .filter((candidate) => candidate.name === how.name);
}

/** The command that adopts what a killed deployment's creates made, for messages. */
export const RECOVER_COMMAND = "npx pulumi-onesignal recover";

/**
 * Refused: an object of the declared name exists already. A deployment that was killed, or whose create got
 * no answer in time, leaves exactly such an object: creating another would make a duplicate (for an app, one
 * that can never be deleted). The message names it and the ways to adopt it.
 */
export class OneSignalAlreadyExistsError extends OneSignalError {
  /** The ids of the objects of that name. */
  readonly ids: string[];

  constructor(message: string, ids: string[]) {
    super(message);
    this.name = "OneSignalAlreadyExistsError";
    this.ids = ids;
  }
}

/** The refusal of a create whose name is taken by `found`: what exists, and how to adopt it. */
export function alreadyExists(
  how: { kind: string; name: string; adoptAdvice(id: string): string },
  found: Candidate[],
): OneSignalAlreadyExistsError {
  const listed = found.map((candidate) => {
    const created = createdMs(candidate.createdAt);
    return created === undefined ? candidate.id : `${candidate.id}, made ${new Date(created).toISOString()}`;
  });
  const what =
    found.length === 1
      ? `${article(how.kind)} ${how.kind} named "${how.name}" already exists in OneSignal (${listed[0]})`
      : `${found.length} ${how.kind}s named "${how.name}" already exist in OneSignal (${listed.join("; ")})`;
  const first = (found[0] as Candidate).id;
  return new OneSignalAlreadyExistsError(
    `${what[0]?.toUpperCase()}${what.slice(1)}, and this stack does not manage ${found.length === 1 ? "it" : "them"}: ` +
      `nothing was created, so that there is never a second one. If a deployment of this stack was killed or got ` +
      `no answer while creating it, adopt it: run \`${RECOVER_COMMAND}\` in the project after a killed run, or ` +
      `${how.adoptAdvice(first)}. Otherwise give this ${how.kind} another name.`,
    found.map((candidate) => candidate.id),
  );
}

/**
 * Creates an object exactly once. It first looks for an object of the declared name (one list request) and
 * refuses to make a second one (see {@link OneSignalAlreadyExistsError}). When the create's outcome is
 * unknown, it finds what that request made and adopts it, rather than sending a second create: OneSignal has
 * no idempotency key for these, a second app can never be deleted, and a second API key is a live credential
 * nobody holds. An outcome it cannot settle is reported as unknown, never as "nothing was created": the
 * request may still land, and the next deployment's look-up then finds it.
 */
export async function createOnce<T, L>(how: CreateOnce<T, L>): Promise<T> {
  const sameKind = how.sameKind ?? (() => true);
  if (how.name !== "") {
    const existing = await sameNamed(how);
    if (existing.length > 0) throw alreadyExists(how, existing);
  }
  const startedAt = Date.now();
  try {
    return await how.create();
  } catch (error) {
    if (!outcomeUnknown(error)) throw error;
    const cause = error instanceof Error ? error.message : String(error);
    let listed: Dated<L[]>;
    try {
      listed = await how.list();
    } catch (lookup) {
      throw unknownOutcome(how, `${cause}; looking for what it made failed too: ${messageOf(lookup)}`, error);
    }
    const made = madeByRequest(listed.value.filter(sameKind).map(how.candidate), how.name, {
      startedAt,
      listedAt: Date.now(),
      serverDate: listed.serverDate,
    });
    if (made.length === 1) return how.adopt((made[0] as Candidate).id);
    if (made.length === 0) {
      throw unknownOutcome(how, `${cause}; OneSignal shows no ${how.kind} of that name yet`, error);
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

/** "a" or "an", as English puts it before `word` ("an app", "an API key", "a template"). */
function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

/** The text of an error, whatever was thrown. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A create whose outcome is unknown: the request may have been carried out, or may still be. Said so, with
 * what the next deployment does about it.
 */
export function unknownOutcome(how: { kind: string; name: string }, detail: string, cause: unknown): OneSignalError {
  return new OneSignalError(
    `Creating the ${how.kind} "${how.name}" got no clear answer (${detail}): the outcome is unknown, the ` +
      `${how.kind} may exist or appear shortly. Run the deployment again: it looks for ${article(how.kind)} ${how.kind} of that name ` +
      "before creating one, and stops, naming it and how to adopt it, if this request made it.",
    { cause },
  );
}
