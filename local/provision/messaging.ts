/**
 * Creates on the Pub/Sub emulator the topics and subscriptions the platform
 * components declare, from the same names (`channelNames`) and settings
 * (`SUBSCRIPTION_DEFAULTS`).
 */
import type { PubSub } from "@google-cloud/pubsub";
import { CHANNELS, channelNames, SUBSCRIPTION_DEFAULTS } from "../../contract";
import type { ChannelNames } from "../../contract";
import { LOCAL_REGION } from "../clients/clients";

/** Subscription settings; seconds may be fractional (tests use short backoffs). */
export interface SubscriptionSettings {
  ackDeadlineSeconds: number;
  maxDeliveryAttempts: number;
  minimumBackoffSeconds: number;
  maximumBackoffSeconds: number;
  messageRetentionSeconds: number;
  /**
   * Whether the subscription has a retry policy (default true, as deployed). Off only to judge
   * a SIGKILLed worker: with a retry policy the emulator never redelivers part of the leases a
   * killed streaming-pull subscriber held (tools/chaos/emulatorRedelivery.ts measures it; docs/performance.md),
   * which real Pub/Sub does.
   */
  retryPolicy?: boolean;
}

export interface MessagingOptions {
  /** Prefix of every name, as the stack's `namePrefix` (tests use a unique one each). */
  prefix: string;
  /** Region whose subscriptions are created. Default "local". */
  region?: string;
  /**
   * Further regions with an input subscription on the events topic, as `MessageChannel` gives each
   * configured region one (the failover drill). The worker consumes `region`'s. Default none.
   */
  otherRegions?: readonly string[];
  /** Overrides of `SUBSCRIPTION_DEFAULTS` for the input subscription. */
  inputSubscription?: Partial<SubscriptionSettings>;
}

/** Short names of everything created, for the worker's env and the outcome collector. */
export interface ProvisionedMessaging {
  events: ChannelNames;
  predictions: ChannelNames;
  /** The pull subscription the worker consumes. */
  inputSubscription: string;
  /** Input subscription of each region (`region` and `otherRegions`). */
  inputSubscriptions: Record<string, string>;
  /** Pull subscription on the predictions topic (in the cloud a BigQuery subscription writes them). */
  predictionsSubscription: string;
  /** Where poison messages and dead-lettered inputs can be read. */
  deadLetterSubscription: string;
  /** The input subscription's settings, after overrides. */
  inputSettings: SubscriptionSettings;
}

function duration(seconds: number): { seconds: number; nanos: number } {
  const whole = Math.floor(seconds);
  return { seconds: whole, nanos: Math.round((seconds - whole) * 1e9) };
}

async function createChannel(
  pubsub: PubSub,
  names: ChannelNames,
  regions: readonly string[],
  settings: SubscriptionSettings,
): Promise<void> {
  const [[topic], [deadLetterTopic]] = await Promise.all([
    // As MessageChannel: the topic retains for the subscriptions' retention, so any of them can seek back.
    pubsub.createTopic({
      name: names.topic,
      messageRetentionDuration: duration(settings.messageRetentionSeconds),
    }),
    pubsub.createTopic(names.deadLetterTopic),
  ]);
  await Promise.all([
    deadLetterTopic.createSubscription(names.deadLetterSubscription, {
      ackDeadlineSeconds: settings.ackDeadlineSeconds,
      messageRetentionDuration: duration(settings.messageRetentionSeconds),
    }),
    ...regions.map((region) =>
      topic.createSubscription(names.subscription(region), {
        ackDeadlineSeconds: settings.ackDeadlineSeconds,
        messageRetentionDuration: duration(settings.messageRetentionSeconds),
        deadLetterPolicy: {
          deadLetterTopic: deadLetterTopic.name,
          maxDeliveryAttempts: settings.maxDeliveryAttempts,
        },
        retryPolicy:
          settings.retryPolicy === false
            ? undefined
            : {
                minimumBackoff: duration(settings.minimumBackoffSeconds),
                maximumBackoff: duration(settings.maximumBackoffSeconds),
              },
      }),
    ),
  ]);
}

/** Creates both channels (topic, dead-letter topic, its inspection subscription, the region's subscription). */
export async function provisionMessaging(
  pubsub: PubSub,
  options: MessagingOptions,
): Promise<ProvisionedMessaging> {
  const region = options.region ?? LOCAL_REGION;
  const events = channelNames(options.prefix, CHANNELS.events);
  const predictions = channelNames(options.prefix, CHANNELS.predictions);
  const inputSettings: SubscriptionSettings = { ...SUBSCRIPTION_DEFAULTS, ...options.inputSubscription };
  const regions = [region, ...(options.otherRegions ?? [])];
  await Promise.all([
    createChannel(pubsub, events, regions, inputSettings),
    createChannel(pubsub, predictions, [region], { ...SUBSCRIPTION_DEFAULTS }),
  ]);
  return {
    events,
    predictions,
    inputSubscription: events.subscription(region),
    inputSubscriptions: Object.fromEntries(regions.map((r) => [r, events.subscription(r)])),
    predictionsSubscription: predictions.subscription(region),
    deadLetterSubscription: events.deadLetterSubscription,
    inputSettings,
  };
}
