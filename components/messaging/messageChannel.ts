/**
 * A channel of the platform (events in, predictions out): a CMEK topic pinned to the
 * platform's regions, and one pull subscription per consuming region, each with a
 * dead-letter policy, a retry policy, an ack deadline, bounded retention and no expiry.
 * The Pub/Sub service agent may publish to the dead-letter topic and pull from each
 * source subscription (both needed to forward dead letters) - per resource, never
 * project-wide.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { MESSAGING_DEFAULTS } from "./defaults";
import { SUBSCRIPTION_DEFAULTS, channelNames } from "../../contract";
import { DeadLetterTopic } from "./deadLetterTopic";
import { NEVER_EXPIRES, SUBSCRIBER_ROLE, seconds, storagePolicy } from "./settings";
import { grantsOf, type KeyRef } from "../encryption/keyRef";

export interface MessageChannelArgs {
  /** Project of the topic and subscriptions. Defaults to the provider's project. */
  project?: pulumi.Input<string>;
  /** Resource name prefix; names come from `channelNames(prefix, channel)`. Required. */
  prefix: string;
  /** Channel name (`CHANNELS.events`, `CHANNELS.predictions`). Required. */
  channel: string;
  /** CMEK key of the topics, in the shared (multi-region or global) location. Required. */
  kmsKey: KeyRef;
  /** IAM member of the Pub/Sub service agent. Required. */
  pubsubAgentMember: pulumi.Input<string>;
  /** Regions messages may be stored in (message storage policy). Required. */
  storageRegions: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Enforce the storage policy in transit too: publishes and pulls are served only in
   * `storageRegions` (elsewhere: FAILED_PRECONDITION), so clients elsewhere must use a regional
   * endpoint. Defaults to false.
   */
  enforceInTransit?: pulumi.Input<boolean>;
  /**
   * Regions that get a pull subscription (plain: it decides which exist). In standby
   * mode the standby region's subscription retains messages for a fail-over. Defaults
   * to none; with none, no dead-letter topic is created either (nothing pulls).
   */
  subscriptionRegions?: readonly string[];
  /** Ack deadline of each subscription, seconds. Defaults to `SUBSCRIPTION_DEFAULTS.ackDeadlineSeconds` (60). */
  ackDeadlineSeconds?: pulumi.Input<number>;
  /** Deliveries before a message is dead-lettered, 5-100. Defaults to 5. */
  maxDeliveryAttempts?: pulumi.Input<number>;
  /** Retry backoff bounds, seconds (0-600). Default 10 and 300. */
  minimumBackoffSeconds?: pulumi.Input<number>;
  maximumBackoffSeconds?: pulumi.Input<number>;
  /** Retention of unacked messages on the topic and subscriptions, seconds. Defaults to one day. */
  messageRetentionSeconds?: pulumi.Input<number>;
  /** Labels on topics and subscriptions. Defaults to none. */
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class MessageChannel extends pulumi.ComponentResource {
  public readonly topicId: pulumi.Output<string>;
  public readonly topicName: pulumi.Output<string>;
  /** Pull subscription name per region. */
  public readonly subscriptionNames: Record<string, pulumi.Output<string>>;
  /** Dead-letter topic and its inspection subscription; undefined without subscriptions. */
  public readonly deadLetter?: DeadLetterTopic;

  constructor(name: string, args: MessageChannelArgs, opts?: pulumi.ComponentResourceOptions) {
    super("streaming-inference:messaging:MessageChannel", name, {}, opts);
    const names = channelNames(args.prefix, args.channel);
    const regions = args.subscriptionRegions ?? [];
    const enforceInTransit = args.enforceInTransit ?? MESSAGING_DEFAULTS.enforceInTransit;
    const retention = seconds(args.messageRetentionSeconds ?? SUBSCRIPTION_DEFAULTS.messageRetentionSeconds);

    const topic = new gcp.pubsub.Topic(
      `${name}-topic`,
      {
        project: args.project,
        name: names.topic,
        kmsKeyName: args.kmsKey.id,
        messageStoragePolicy: storagePolicy(args.storageRegions, enforceInTransit),
        messageRetentionDuration: retention,
        labels: args.labels,
      },
      { parent: this, dependsOn: grantsOf(args.kmsKey) },
    );

    const deadLetter =
      regions.length === 0
        ? undefined
        : new DeadLetterTopic(
            `${name}-dlq`,
            {
              project: args.project,
              topicName: names.deadLetterTopic,
              subscriptionName: names.deadLetterSubscription,
              kmsKey: args.kmsKey,
              storageRegions: args.storageRegions,
              enforceInTransit,
              pubsubAgentMember: args.pubsubAgentMember,
              labels: args.labels,
            },
            { parent: this },
          );

    const subscribe = (dlq: DeadLetterTopic) =>
      regions.map((region) => {
        const subscription = new gcp.pubsub.Subscription(
          `${name}-${region}`,
          {
            project: args.project,
            name: names.subscription(region),
            topic: topic.id,
            ackDeadlineSeconds: args.ackDeadlineSeconds ?? SUBSCRIPTION_DEFAULTS.ackDeadlineSeconds,
            messageRetentionDuration: retention,
            retainAckedMessages: false,
            enableExactlyOnceDelivery: false,
            enableMessageOrdering: false,
            expirationPolicy: NEVER_EXPIRES,
            deadLetterPolicy: {
              deadLetterTopic: dlq.topicId,
              maxDeliveryAttempts: args.maxDeliveryAttempts ?? SUBSCRIPTION_DEFAULTS.maxDeliveryAttempts,
            },
            retryPolicy: {
              minimumBackoff: seconds(
                args.minimumBackoffSeconds ?? SUBSCRIPTION_DEFAULTS.minimumBackoffSeconds,
              ),
              maximumBackoff: seconds(
                args.maximumBackoffSeconds ?? SUBSCRIPTION_DEFAULTS.maximumBackoffSeconds,
              ),
            },
            labels: args.labels,
          },
          { parent: this, dependsOn: [dlq.publisherGrant] },
        );
        // The agent acks the forwarded message on the source subscription.
        new gcp.pubsub.SubscriptionIAMMember(
          `${name}-${region}-agent-subscriber`,
          {
            project: args.project,
            subscription: subscription.name,
            role: SUBSCRIBER_ROLE,
            member: args.pubsubAgentMember,
          },
          { parent: this },
        );
        return [region, subscription.name] as const;
      });
    const subscriptions = deadLetter ? subscribe(deadLetter) : [];

    this.topicId = topic.id;
    this.topicName = topic.name;
    this.subscriptionNames = Object.fromEntries(subscriptions);
    this.deadLetter = deadLetter;
    this.registerOutputs({
      topicId: this.topicId,
      subscriptionNames: this.subscriptionNames,
      deadLetterTopicName: deadLetter?.topicName,
    });
  }
}
