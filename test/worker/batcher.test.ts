import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Batcher } from "../../worker/src/batcher";

/** A handler whose batches finish only when the test says so. */
function controlledHandler() {
  const batches: number[][] = [];
  const finishers: Array<() => void> = [];
  const handle = (batch: number[]) => {
    batches.push(batch);
    return new Promise<void>((resolve) => finishers.push(resolve));
  };
  const finish = async (index: number) => {
    finishers[index]?.();
    await vi.advanceTimersByTimeAsync(0);
  };
  return { batches, handle, finish };
}

describe("Batcher (both policies)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("flushes as soon as a batch reaches maxBatchSize, without waiting for the delay", () => {
    const h = controlledHandler();
    const batcher = new Batcher<number>({
      maxBatchSize: 3,
      maxBatchDelayMs: 1000,
      maxInFlight: 4,
      handle: h.handle,
    });
    for (let i = 0; i < 7; i++) batcher.add(i);
    expect(h.batches).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(batcher.queued).toBe(1);
  });

  it("flushes a partial batch maxBatchDelayMs after its first item", async () => {
    const h = controlledHandler();
    const batcher = new Batcher<number>({
      maxBatchSize: 10,
      maxBatchDelayMs: 100,
      maxInFlight: 4,
      policy: "timer",
      handle: h.handle,
    });
    batcher.add(1);
    await vi.advanceTimersByTimeAsync(60);
    batcher.add(2);
    await vi.advanceTimersByTimeAsync(39);
    expect(h.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.batches).toEqual([[1, 2]]);
    // The next item starts a new delay of its own.
    batcher.add(3);
    await vi.advanceTimersByTimeAsync(99);
    expect(h.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.batches).toEqual([[1, 2], [3]]);
  });

  it("never runs more than maxInFlight batches at once, and starts the next when one finishes", async () => {
    const h = controlledHandler();
    const batcher = new Batcher<number>({
      maxBatchSize: 2,
      maxBatchDelayMs: 50,
      maxInFlight: 2,
      handle: h.handle,
    });
    for (let i = 0; i < 8; i++) batcher.add(i);
    expect(h.batches).toHaveLength(2);
    expect(batcher.inFlight).toBe(2);
    expect(batcher.queued).toBe(4);
    await h.finish(0);
    expect(h.batches).toHaveLength(3);
    expect(h.batches[2]).toEqual([4, 5]);
    expect(batcher.inFlight).toBe(2);
  });

  it("keeps filling a due batch while every slot is busy, up to maxBatchSize", async () => {
    const h = controlledHandler();
    const batcher = new Batcher<number>({
      maxBatchSize: 4,
      maxBatchDelayMs: 10,
      maxInFlight: 1,
      policy: "timer",
      handle: h.handle,
    });
    batcher.add(0);
    await vi.advanceTimersByTimeAsync(10);
    expect(h.batches).toEqual([[0]]);
    batcher.add(1);
    await vi.advanceTimersByTimeAsync(50); // due, but the only slot is busy
    batcher.add(2);
    expect(h.batches).toHaveLength(1);
    await h.finish(0);
    expect(h.batches[1]).toEqual([1, 2]);
  });

  it("releases the slot when the handler rejects, and reports the error", async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const batcher = new Batcher<number>({
      maxBatchSize: 1,
      maxBatchDelayMs: 10,
      maxInFlight: 1,
      handle: async () => {
        calls++;
        throw new Error("boom");
      },
      onHandlerError: (err) => errors.push(err),
    });
    batcher.add(1);
    batcher.add(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(2);
    expect(errors).toHaveLength(2);
    await expect(batcher.whenIdle()).resolves.toBeUndefined();
  });

  it("drain flushes the open batch at once and resolves only after every batch finished", async () => {
    const h = controlledHandler();
    const batcher = new Batcher<number>({
      maxBatchSize: 10,
      maxBatchDelayMs: 60_000,
      maxInFlight: 1,
      handle: h.handle,
    });
    batcher.add(1);
    batcher.add(2);
    let drained = false;
    void batcher.drain().then(() => (drained = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(h.batches).toEqual([[1, 2]]);
    // Items that still arrive while draining go out without waiting for the delay.
    batcher.add(3);
    await h.finish(0);
    expect(h.batches[1]).toEqual([3]);
    expect(drained).toBe(false);
    await h.finish(1);
    expect(drained).toBe(true);
  });

  it("reports each batch as sealed as soon as it is complete, before it gets a slot", async () => {
    const h = controlledHandler();
    const sealed: number[][] = [];
    const batcher = new Batcher<number>({
      maxBatchSize: 2,
      maxBatchDelayMs: 10,
      maxInFlight: 1,
      handle: h.handle,
      onSealed: (batch) => sealed.push(batch),
    });
    [1, 2, 3, 4, 5].forEach((i) => batcher.add(i));
    expect(sealed).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(h.batches).toEqual([[1, 2]]);
    await vi.advanceTimersByTimeAsync(10); // [5] is due but waits for the slot, still open
    expect(sealed).toHaveLength(2);
    await h.finish(0);
    await h.finish(1);
    expect(sealed).toEqual([[1, 2], [3, 4], [5]]);
    expect(h.batches).toEqual([[1, 2], [3, 4], [5]]);
  });
});

describe("Batcher, work-conserving policy", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends a lone item at once when a slot is free, without waiting for maxBatchDelayMs", async () => {
    const h = controlledHandler();
    const batcher = new Batcher<number>({
      maxBatchSize: 50,
      maxBatchDelayMs: 1000,
      maxInFlight: 4,
      handle: h.handle,
    });
    batcher.add(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.batches).toEqual([[1]]);
  });

  it("collects the items of one burst (same event-loop turn) into one batch", async () => {
    const h = controlledHandler();
    const batcher = new Batcher<number>({
      maxBatchSize: 50,
      maxBatchDelayMs: 1000,
      maxInFlight: 4,
      handle: h.handle,
    });
    for (let i = 0; i < 5; i++) batcher.add(i);
    expect(h.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.batches).toEqual([[0, 1, 2, 3, 4]]);
  });

  it("batches only while every slot is busy, and sends what queued the moment a slot frees", async () => {
    const h = controlledHandler();
    const batcher = new Batcher<number>({
      maxBatchSize: 10,
      maxBatchDelayMs: 1000,
      maxInFlight: 1,
      handle: h.handle,
    });
    batcher.add(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.batches).toEqual([[0]]);
    for (let i = 1; i <= 3; i++) batcher.add(i);
    await vi.advanceTimersByTimeAsync(5);
    expect(h.batches).toHaveLength(1); // the only slot is busy: they wait and fill
    await h.finish(0);
    expect(h.batches[1]).toEqual([1, 2, 3]); // long before the 1 s delay
  });

  it("still seals full batches at maxBatchSize while slots are busy", async () => {
    const h = controlledHandler();
    const sealed: number[][] = [];
    const batcher = new Batcher<number>({
      maxBatchSize: 2,
      maxBatchDelayMs: 1000,
      maxInFlight: 1,
      handle: h.handle,
      onSealed: (batch) => sealed.push(batch),
    });
    batcher.add(0);
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 1; i <= 5; i++) batcher.add(i);
    expect(sealed).toEqual([[0], [1, 2], [3, 4]]);
    expect(batcher.queued).toBe(5);
    await h.finish(0);
    expect(h.batches[1]).toEqual([1, 2]);
  });

  it("the timer policy, given the same arrivals, waits for maxBatchDelayMs", async () => {
    const h = controlledHandler();
    const batcher = new Batcher<number>({
      maxBatchSize: 50,
      maxBatchDelayMs: 1000,
      maxInFlight: 4,
      policy: "timer",
      handle: h.handle,
    });
    batcher.add(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(h.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.batches).toEqual([[1]]);
  });
});
