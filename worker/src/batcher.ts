/**
 * Micro-batching with a cap on concurrent batches (at most `maxInFlight` handled at once).
 *
 * Two policies:
 * - `work-conserving` (the default): when a slot is free, what is queued goes out now, up
 *   to `maxBatchSize`. Batches form only while every slot is busy, so an idle model never
 *   waits for a timer (NVIDIA Triton's dynamic batcher does the same by default). Items
 *   that arrive in one burst (one streaming-pull response) are collected first: the open
 *   batch is sent on the next turn of the event loop, not per item.
 * - `timer`: a batch goes out when it reaches `maxBatchSize` or when its first item has
 *   waited `maxBatchDelayMs` (the policy of Ray Serve, TorchServe, KServe; kept to be
 *   measured against).
 *
 * In both, `maxBatchDelayMs` caps how long an open batch waits once a slot could take it,
 * and a batch that is due while every slot is busy keeps filling until a slot frees (it
 * cannot go out earlier anyway, and a fuller batch costs the model nothing extra).
 *
 * Pure and timer-driven: no I/O, and the clock is injectable for tests.
 */

export interface Clock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Runs `callback` after the I/O callbacks of this event-loop turn (setImmediate). */
  defer?(callback: () => void): void;
}

export const systemClock: Clock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  defer: (callback) => void setImmediate(callback),
};

export const BATCH_POLICIES = ["work-conserving", "timer"] as const;
export type BatchPolicy = (typeof BATCH_POLICIES)[number];

export interface BatcherOptions<T> {
  maxBatchSize: number;
  maxBatchDelayMs: number;
  maxInFlight: number;
  /** Default `work-conserving`. */
  policy?: BatchPolicy;
  /** Handles one batch; its slot is held until the promise settles. Should not reject. */
  handle: (batch: T[]) => Promise<void>;
  /**
   * Called once per batch as soon as it is complete, before it waits for a slot: work that
   * does not need a slot (e.g. a feature lookup) can start here and overlap other batches.
   */
  onSealed?: (batch: T[]) => void;
  /** Called if `handle` rejects anyway; the slot is released either way. */
  onHandlerError?: (err: unknown, batch: T[]) => void;
  clock?: Clock;
}

export class Batcher<T> {
  private open: T[] = [];
  /** The open batch may go out as soon as a slot is free (its delay is up, or the policy does not wait). */
  private openIsDue = false;
  private timer: unknown = undefined;
  private deferred = false;
  private readonly sealed: T[][] = [];
  private sealedItems = 0;
  private running = 0;
  private draining = false;
  private idleWaiters: Array<() => void> = [];
  private readonly clock: Clock;
  private readonly workConserving: boolean;

  constructor(private readonly options: BatcherOptions<T>) {
    this.clock = options.clock ?? systemClock;
    this.workConserving = (options.policy ?? "work-conserving") === "work-conserving";
  }

  /** Items waiting for a slot (open batch + sealed batches). */
  get queued(): number {
    return this.open.length + this.sealedItems;
  }

  /** Batches being handled right now. */
  get inFlight(): number {
    return this.running;
  }

  add(item: T): void {
    this.open.push(item);
    if (this.open.length >= this.options.maxBatchSize) {
      this.seal();
      this.pump();
      return;
    }
    if (this.open.length > 1 || this.draining) {
      this.pump();
      return;
    }
    // The first item of a new open batch.
    if (this.workConserving && this.running < this.options.maxInFlight) {
      // A slot is free: send on the next turn, with whatever else arrived in this burst.
      this.scheduleFlush();
      return;
    }
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.openIsDue = true;
      this.pump();
    }, this.options.maxBatchDelayMs);
  }

  /**
   * Stops waiting for batches to fill: everything queued goes out as slots free (items
   * added later too). Resolves when nothing is queued or in flight.
   */
  drain(): Promise<void> {
    this.draining = true;
    this.pump();
    return this.whenIdle();
  }

  /** Resolves when nothing is queued or in flight. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.running === 0 && this.open.length === 0 && this.sealed.length === 0;
  }

  private scheduleFlush(): void {
    if (this.deferred) return;
    this.deferred = true;
    const flush = () => {
      this.deferred = false;
      if (this.open.length > 0) this.openIsDue = true;
      this.pump();
    };
    if (this.clock.defer) this.clock.defer(flush);
    else this.clock.setTimeout(flush, 0);
  }

  private seal(): void {
    const batch = this.open;
    this.open = [];
    this.openIsDue = false;
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.sealed.push(batch);
    this.sealedItems += batch.length;
    this.options.onSealed?.(batch);
  }

  private pump(): void {
    while (this.running < this.options.maxInFlight) {
      if (this.sealed.length === 0) {
        if (this.open.length === 0 || !(this.openIsDue || this.draining)) break;
        this.seal();
      }
      const next = this.sealed.shift() as T[];
      this.sealedItems -= next.length;
      this.dispatch(next);
    }
    // Work-conserving: a slot is still free and items are waiting for the next turn's flush.
    if (this.workConserving && this.open.length > 0 && this.running < this.options.maxInFlight)
      this.scheduleFlush();
    if (this.isIdle()) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private dispatch(batch: T[]): void {
    this.running++;
    let handled: Promise<void>;
    try {
      handled = this.options.handle(batch);
    } catch (err) {
      handled = Promise.reject(err);
    }
    handled
      .catch((err: unknown) => this.options.onHandlerError?.(err, batch))
      .finally(() => {
        this.running--;
        this.pump();
      });
  }
}
