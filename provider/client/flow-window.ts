/**
 * How many requests one client may have in flight, set by OneSignal's answers: unlimited until OneSignal first
 * answers 429, then cut by a quarter on a 429 and widened by one after each window's worth of answers (additive
 * increase, multiplicative decrease, as TCP does). Bulk work thus settles just under the rate limit and stays
 * there, instead of overshooting it, or pausing everything for a whole `Retry-After` and losing that time.
 * Pure logic: the clock is passed in.
 */
export class FlowWindow {
  private limit = Number.POSITIVE_INFINITY;
  private inFlight = 0;
  private answered = 0;
  private lastCut = Number.NEGATIVE_INFINITY;
  private readonly waiting: (() => void)[] = [];

  /** The most requests in flight at once now (`Infinity` until the first 429). */
  get size(): number {
    return this.limit;
  }

  /**
   * Counts a request in flight, at once when there is room (`undefined`: no promise made, as for nearly every
   * request), else resolving when there is.
   */
  enter(): Promise<void> | undefined {
    if (this.inFlight < this.limit) {
      this.inFlight += 1;
      return undefined;
    }
    return this.waitForRoom();
  }

  private async waitForRoom(): Promise<void> {
    while (this.inFlight >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.inFlight += 1;
  }

  /** A request is answered (or failed): its place goes to the next one waiting. */
  leave(): void {
    this.inFlight -= 1;
    this.wakeUp();
  }

  /** An answer that was not a 429: after a window's worth of them, one more request may be in flight. */
  accepted(): void {
    if (this.limit === Number.POSITIVE_INFINITY) return;
    this.answered += 1;
    if (this.answered >= this.limit) {
      this.answered = 0;
      this.limit += 1;
      this.wakeUp();
    }
  }

  /**
   * A 429 to a request sent at `sentAt`: the window shrinks by a quarter. Only once per burst: the requests
   * sent before the last cut were part of the burst that caused it.
   */
  rateLimited(sentAt: number, now: number): void {
    if (sentAt < this.lastCut) return;
    this.lastCut = now;
    const current = this.limit === Number.POSITIVE_INFINITY ? this.inFlight : this.limit;
    this.limit = Math.max(1, Math.floor(current * 0.75));
    this.answered = 0;
  }

  private wakeUp(): void {
    const room = this.limit - this.inFlight;
    for (let woken = 0; woken < room && this.waiting.length > 0; woken++) this.waiting.shift()?.();
  }
}
