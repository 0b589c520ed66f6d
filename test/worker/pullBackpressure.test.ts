/** The pause/resume rules of pullBackpressure.ts against stand-ins for the library's private fields. */
import { EventEmitter } from "node:events";
import type { Subscription } from "@google-cloud/pubsub";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { applyPullBackpressure, PAUSE_AT_FLOW_CONTROL_MULTIPLE } from "../../worker/src/pullBackpressure";
import { logger } from "./helpers";

class FakeStream {
  paused = false;
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
}

class FakeInventory extends EventEmitter {
  size = 0;
  bytes = 0;
  isFull() {
    return this.size >= 10;
  }
}

function fakeSubscription() {
  const inventory = new FakeInventory();
  const trackers: { stream?: FakeStream }[] = [{ stream: new FakeStream() }, { stream: new FakeStream() }];
  const subscription = { _subscriber: { _inventory: inventory, _stream: { _streams: trackers } } };
  return { subscription: subscription as unknown as Subscription, inventory, trackers };
}

const FLOW = { maxMessages: 10, maxBytes: 1_000_000 };
const pauseAt = FLOW.maxMessages * PAUSE_AT_FLOW_CONTROL_MULTIPLE;

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("applyPullBackpressure", () => {
  it("leaves the streams flowing at flow control, pauses them past the multiple, resumes when free", () => {
    const { subscription, inventory, trackers } = fakeSubscription();
    const backpressure = applyPullBackpressure(subscription, FLOW, logger)!;
    inventory.size = FLOW.maxMessages;
    inventory.emit("full");
    expect(trackers.map((t) => t.stream!.paused)).toEqual([false, false]);

    inventory.size = pauseAt;
    vi.advanceTimersByTime(25);
    expect(trackers.map((t) => t.stream!.paused)).toEqual([true, true]);
    expect(backpressure.pauses).toBe(1);
    expect(backpressure.leased()).toBe(pauseAt);

    inventory.size = 5;
    inventory.emit("free");
    expect(trackers.map((t) => t.stream!.paused)).toEqual([false, false]);
  });

  it("pauses on bytes too", () => {
    const { subscription, inventory, trackers } = fakeSubscription();
    applyPullBackpressure(subscription, FLOW, logger);
    inventory.size = FLOW.maxMessages;
    inventory.bytes = FLOW.maxBytes * PAUSE_AT_FLOW_CONTROL_MULTIPLE;
    inventory.emit("full");
    expect(trackers.every((t) => t.stream!.paused)).toBe(true);
  });

  it("also pauses a stream the library reopened while paused", () => {
    const { subscription, inventory, trackers } = fakeSubscription();
    applyPullBackpressure(subscription, FLOW, logger);
    inventory.size = pauseAt;
    inventory.emit("full");
    trackers[1] = { stream: new FakeStream() };
    vi.advanceTimersByTime(25);
    expect(trackers[1].stream!.paused).toBe(true);
  });

  it("does nothing, and says so, when the library's fields are not there", () => {
    const warn = vi.spyOn(logger, "warn");
    const result = applyPullBackpressure({} as Subscription, FLOW, logger);
    expect(result).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/server's flow control only/));
  });
});
