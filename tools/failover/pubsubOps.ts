/**
 * Subscription facts and seek through the official Pub/Sub client: against the cloud, or the
 * emulator when `PUBSUB_EMULATOR_HOST` is set (the client reads it itself).
 */
import type { PubSub } from "@google-cloud/pubsub";
import type { SubscriptionFacts } from "./clients";

type Duration = { seconds?: number | string | { toString(): string } | null; nanos?: number | null } | null;

/** A proto `Duration` as the client returns it (seconds may be a string or a Long). */
export function durationSeconds(duration: Duration | undefined): number | undefined {
  if (duration === undefined || duration === null) return undefined;
  const seconds = Number(String(duration.seconds ?? 0)) + (duration.nanos ?? 0) / 1e9;
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/** pubsub.proto `Subscription.message_retention_duration` defaults to 7 days when unset. */
const DEFAULT_SUBSCRIPTION_RETENTION_SECONDS = 7 * 86_400;

export async function subscriptionFactsOf(pubsub: PubSub, name: string): Promise<SubscriptionFacts> {
  const [metadata] = await pubsub.subscription(name).getMetadata();
  return {
    name,
    retentionSeconds:
      durationSeconds(metadata.messageRetentionDuration as Duration) ??
      DEFAULT_SUBSCRIPTION_RETENTION_SECONDS,
    retainAckedMessages: metadata.retainAckedMessages === true,
    topicRetentionSeconds: durationSeconds(metadata.topicMessageRetentionDuration as Duration),
  };
}

/** SeekRequest with `time` (pubsub.proto): the whole subscription's ack state moves to that time. */
export async function seekTo(pubsub: PubSub, name: string, time: Date): Promise<void> {
  await pubsub.subscription(name).seek(time);
}
