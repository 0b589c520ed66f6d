/**
 * The Pub/Sub emulator's own consume ceiling, measured in the same run as the worker so
 * the efficiency ratio compares like with like: a subscriber that acks each message as
 * it arrives and does nothing else, draining a backlog of the same event messages.
 */
import type { Message } from "@google-cloud/pubsub";
import type { LocalClients } from "../../local";
import { eventStream, provisionMessaging, publishLoad } from "../../local";
import type { ProgressSample } from "./figures";
import { round, steadyRate } from "./figures";

export interface CeilingResult {
  messages: number;
  /** Steady-state acks per second (10% -> 90%). */
  throughput: number;
  /** Subscriber flow control used (generous, so the emulator is the limit). */
  maxMessages: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function measureCeiling(
  clients: LocalClients,
  options: { name: string; messages: number; timeoutMs: number },
): Promise<CeilingResult> {
  const messaging = await provisionMessaging(clients.pubsub, { prefix: `bench-${options.name}` });
  await publishLoad(
    clients.pubsub,
    eventStream({ count: options.messages, entities: 1000, runId: options.name }),
    {
      topic: messaging.events.topic,
      rate: 0,
      onPublished: () => undefined,
    },
  );
  const maxMessages = 2000;
  const subscription = clients.pubsub.subscription(messaging.inputSubscription, {
    flowControl: { maxMessages, allowExcessMessages: false },
    batching: { maxMilliseconds: 10 },
  });
  let acked = 0;
  const seen = new Set<string>();
  subscription.on("message", (message: Message) => {
    message.ack();
    if (!seen.has(message.id)) {
      seen.add(message.id);
      acked++;
    }
  });
  const start = performance.now();
  const samples: ProgressSample[] = [{ atMs: 0, done: 0 }];
  try {
    while (acked < options.messages && performance.now() - start < options.timeoutMs) {
      await sleep(100);
      samples.push({ atMs: performance.now() - start, done: acked });
    }
  } finally {
    await subscription.close();
  }
  const last = samples.at(-1)!;
  return {
    messages: options.messages,
    throughput: round(steadyRate(samples, options.messages) ?? (last.done * 1000) / last.atMs, 1),
    maxMessages,
  };
}
