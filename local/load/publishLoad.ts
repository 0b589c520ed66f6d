/**
 * Publishes a stream of messages at a target rate (or as fast as Pub/Sub takes
 * them), reporting each message id as soon as the emulator has stored it.
 */
import type { PubSub } from "@google-cloud/pubsub";
import type { LoadMessage } from "./events";

/** A message the emulator accepted. */
export interface PublishedMessage {
  id: string;
  key: string;
  kind: LoadMessage["kind"];
  /** Local clock when the publish call resolved, ms since the epoch. */
  publishedAt: number;
}

export interface PublishLoadOptions {
  topic: string;
  /** Messages per second; 0 = as fast as possible. */
  rate: number;
  /** Called for each message the emulator accepted. */
  onPublished: (message: PublishedMessage) => void;
  /** Stops publishing early (Ctrl-C). */
  signal?: AbortSignal;
  /** Most publishes awaiting an answer at once (bounds memory at rate 0). Default 2000. */
  maxOutstanding?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Publishes everything in `messages`; resolves with the number published once all are stored. */
export async function publishLoad(
  pubsub: PubSub,
  messages: Iterable<LoadMessage>,
  options: PublishLoadOptions,
): Promise<number> {
  const topic = pubsub.topic(options.topic, {
    batching: { maxMessages: 500, maxMilliseconds: 5 },
  });
  const maxOutstanding = options.maxOutstanding ?? 2000;
  const outstanding = new Set<Promise<void>>();
  const started = performance.now();
  let sent = 0;
  let published = 0;
  let failure: unknown;

  for (const message of messages) {
    if (options.signal?.aborted === true || failure !== undefined) break;
    if (options.rate > 0) {
      const due = started + (sent * 1000) / options.rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
    }
    while (outstanding.size >= maxOutstanding) await Promise.race(outstanding);
    const pending = topic
      .publishMessage({ data: message.data, attributes: message.attributes })
      .then(
        (id) => {
          published++;
          options.onPublished({ id, key: message.key, kind: message.kind, publishedAt: Date.now() });
        },
        (error: unknown) => {
          failure ??= error;
        },
      )
      .finally(() => outstanding.delete(pending));
    outstanding.add(pending);
    sent++;
  }
  await Promise.all(outstanding);
  await topic.flush();
  if (failure !== undefined) {
    throw new Error(`publishing to ${options.topic} failed after ${published} messages: ${String(failure)}`);
  }
  return published;
}
