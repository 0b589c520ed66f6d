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
 * died of it). Pausing the gRPC streams themselves (past a multiple of flow control, below)
 * lets gRPC's and HTTP/2's flow control hold the rest on the server, whichever server it is.
 *
 * This reaches into the library's private fields, so it checks their shape and does nothing
 * (with a warning) when they are not there; the server-side limit still applies then.
 *
 * Version 6 (6.3.2, read 2026-12-04 from `npm pack @google-cloud/pubsub@6`) pauses the gRPC
 * streams itself: `MessageStream.pause()`/`resume()` pause and resume every StreamingPull stream
 * (build/src/message-stream.js lines 143-165), a stream opened while paused starts paused
 * (lines 224-226), and the subscriber pauses on the inventory's 'full' (build/src/subscriber.js
 * lines 942-943). So it honours flow control on streaming pulls, at 1x flow control: the point
 * that on the emulator let a 10 s stall redeliver 1,488 of 2,500 (below). Moving to 6 needs
 * that measured first (bigtable-unreachable-10s, the outage scenarios); not done yet.
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
  /** Their bytes. */
  readonly bytes: number;
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

/**
 * How far past flow control the client may queue before the pulls pause. Not at flow control
 * itself: what a paused stream leaves in the server's send buffer is leased without being
 * extended, so on the emulator a stall (10 s of Bigtable down, a 10 s ack deadline) turned
 * into 1,488 redeliveries of 2,500 when the pause came at 1x; a queue of a few thousand small
 * messages is a few MB, and its leases the client does extend.
 */
export const PAUSE_AT_FLOW_CONTROL_MULTIPLE = 10;
/** How often the queue is checked while the inventory is full, ms. */
const CHECK_EVERY_MS = 20;

export interface PullBackpressureOptions {
  /** Flow control's `maxMessages` (what is handed to the worker at most). */
  maxMessages: number;
  /** Flow control's `maxBytes`. */
  maxBytes: number;
}

/**
 * While the inventory is full, pauses the gRPC streams once the client holds
 * `PAUSE_AT_FLOW_CONTROL_MULTIPLE` x flow control (messages or bytes), and resumes them when
 * the inventory frees. Call after `on("message")` (the library opens its streams then).
 */
export function applyPullBackpressure(
  subscription: Subscription,
  options: PullBackpressureOptions,
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
  const maxMessages = options.maxMessages * PAUSE_AT_FLOW_CONTROL_MULTIPLE;
  const maxBytes = options.maxBytes * PAUSE_AT_FLOW_CONTROL_MULTIPLE;
  const state = { pauses: 0, paused: false };
  let check: NodeJS.Timeout | undefined;
  const pauseIfOver = () => {
    if (!state.paused) {
      if (inventory.size < maxMessages && inventory.bytes < maxBytes) return;
      state.paused = true;
      state.pauses += 1;
    }
    // Every check while paused: a stream the library reopened since (after an error) starts flowing.
    for (const stream of streams()) stream.pause();
  };
  inventory.on("full", () => {
    pauseIfOver();
    check ??= setInterval(pauseIfOver, CHECK_EVERY_MS).unref();
  });
  inventory.on("free", () => {
    clearInterval(check);
    check = undefined;
    if (!state.paused) return;
    state.paused = false;
    for (const stream of streams()) stream.resume();
  });
  return {
    leased: () => inventory.size,
    get pauses() {
      return state.pauses;
    },
  };
}
