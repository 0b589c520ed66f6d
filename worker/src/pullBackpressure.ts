/**
 * Makes client-side flow control stop the streaming pulls, not only the hand-over.
 *
 * `@google-cloud/pubsub` 5.3.1 pauses its merged `MessageStream` when the inventory is full, but
 * that stream re-emits each gRPC stream's 'data' event (`message-stream.js` `_replaceStream`:
 * `stream.on('data', ...)`), so the gRPC streams keep flowing and every message that arrives
 * is leased and queued in memory (`lease-manager.js` `_pending`). The library relies on the server
 * to stop at `StreamingPullRequest.max_outstanding_messages`, which Pub/Sub honours and the
 * emulator ignores: measured 2026-12-02, flow control 400 messages, a 60k backlog, Node 24, the
 * client held up to 46,000 leased messages (heap 72 -> 110 MB; with a 160 MB heap cap the worker
 * died of it). Pausing the gRPC streams themselves lets gRPC's and HTTP/2's flow control hold
 * the rest on the server, whichever server it is.
 *
 * This reaches into the library's private fields, so it checks their shape and does nothing
 * (with a warning) when they are not there; the server-side limit still applies then.
 */
import type { EventEmitter } from "node:events";
import type { Subscription } from "@google-cloud/pubsub";
import type { Logger } from "./logger";

interface PausableStream {
  pause(): unknown;
  resume(): unknown;
}
interface Inventory extends EventEmitter {
  /** Messages leased by the client (handed over or queued). */
  readonly size: number;
  isFull(): boolean;
}
interface SubscriberInternals {
  _inventory?: Inventory;
  _stream?: { _streams?: { stream?: PausableStream }[] };
}

export interface PullBackpressure {
  /** Messages the client holds under lease (handed to the worker or queued in the client). */
  leased(): number;
  /** Times the pulls were paused because the inventory was full. */
  readonly pauses: number;
}

/** Wires pause/resume of the gRPC streams to the inventory's full/free; call after `on("message")`. */
export function applyPullBackpressure(
  subscription: Subscription,
  logger: Logger,
): PullBackpressure | undefined {
  const subscriber = (subscription as unknown as { _subscriber?: SubscriberInternals })._subscriber;
  const inventory = subscriber?._inventory;
  const messageStream = subscriber?._stream;
  if (
    inventory === undefined ||
    typeof inventory.on !== "function" ||
    typeof inventory.isFull !== "function" ||
    !Array.isArray(messageStream?._streams)
  ) {
    logger.warn(
      "the Pub/Sub client's internals changed: pulls are bounded by the server's flow control only",
    );
    return undefined;
  }
  const streams = (): PausableStream[] =>
    (messageStream._streams ?? [])
      .map((tracker) => tracker.stream)
      .filter((s): s is PausableStream => s !== undefined);
  const state = { pauses: 0 };
  inventory.on("full", () => {
    state.pauses += 1;
    for (const stream of streams()) stream.pause();
  });
  inventory.on("free", () => {
    for (const stream of streams()) stream.resume();
  });
  return {
    leased: () => inventory.size,
    get pauses() {
      return state.pauses;
    },
  };
}
