/**
 * Micro-batching with a cap on concurrent batches. Items are grouped into a batch that
 * is handed on when it reaches `maxBatchSize` or when its first item has waited
 * `maxBatchDelayMs`, whichever comes first; at most `maxInFlight` batches are handled at
 * once. A batch that is due while every slot is busy keeps filling until a slot frees
 * (it cannot go out earlier anyway, and a fuller batch costs the model nothing extra).
 *
 * Pure and timer-driven: no I/O, and the clock is injectable for tests.
 */

export interface Clock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface BatcherOptions<T> {
  maxBatchSize: number;
  maxBatchDelayMs: number;
  maxInFlight: number;
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
  /** The open batch has waited `maxBatchDelayMs`: hand it on as soon as a slot is free. */
  private openIsDue = false;
  private timer: unknown = undefined;
  private readonly sealed: T[][] = [];
  private running = 0;
  private draining = false;
  private idleWaiters: Array<() => void> = [];
  private readonly clock: Clock;

  constructor(private readonly options: BatcherOptions<T>) {
    this.clock = options.clock ?? systemClock;
  }

  /** Items waiting for a slot (open batch + sealed batches). */
  get queued(): number {
    return this.open.length + this.sealed.reduce((sum, batch) => sum + batch.length, 0);
  }

  /** Batches being handled right now. */
  get inFlight(): number {
    return this.running;
  }

  add(item: T): void {
    this.open.push(item);
    if (this.open.length >= this.options.maxBatchSize) {
      this.sealed.push(this.takeOpen());
    } else if (this.open.length === 1 && !this.draining) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.openIsDue = true;
        this.pump();
      }, this.options.maxBatchDelayMs);
    }
    this.pump();
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

  private takeOpen(): T[] {
    const batch = this.open;
    this.open = [];
    this.openIsDue = false;
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.options.onSealed?.(batch);
    return batch;
  }

  private pump(): void {
    while (this.running < this.options.maxInFlight) {
      const next =
        this.sealed.shift() ??
        (this.open.length > 0 && (this.openIsDue || this.draining) ? this.takeOpen() : undefined);
      if (next === undefined) break;
      this.dispatch(next);
    }
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
