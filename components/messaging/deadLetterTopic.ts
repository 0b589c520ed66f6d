/**
 * A dead-letter topic with a subscription to inspect and replay what lands on it, and
 * the Pub/Sub service agent's right to publish to it (granted on this topic only).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { MESSAGING_DEFAULTS } from "./defaults";
import { MAX_RETENTION_SECONDS } from "../../contract";
import { INSPECTION_LABEL, NEVER_EXPIRES, PUBLISHER_ROLE, seconds, storagePolicy } from "./settings";
import { grantsOf, type KeyRef } from "../encryption/keyRef";

export interface DeadLetterTopicArgs {
  /** Project of the topic. Defaults to the provider's project. */
  project?: pulumi.Input<string>;
  /** Topic name. Required. */
  topicName: pulumi.Input<string>;
  /** Name of the inspection subscription. Required. */
  subscriptionName: pulumi.Input<string>;
  /** CMEK key of the topic (in the shared location). Required. */
  kmsKey: KeyRef;
  /** Regions the dead letters may be stored in. Required. */
  storageRegions: pulumi.Input<pulumi.Input<string>[]>;
  /** Enforce the storage regions in transit too (see `MessageChannelArgs.enforceInTransit`). Defaults to false. */
  enforceInTransit?: pulumi.Input<boolean>;
  /** IAM member of the Pub/Sub service agent, which forwards dead letters. Required. */
  pubsubAgentMember: pulumi.Input<string>;
  /**
   * How long dead letters are kept, seconds. Defaults to 7 days (the platform's cap):
   * long enough to inspect and replay after a weekend.
   */
  retentionSeconds?: pulumi.Input<number>;
  /** Labels. Defaults to none. */
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class DeadLetterTopic extends pulumi.ComponentResource {
  public readonly topicId: pulumi.Output<string>;
  public readonly topicName: pulumi.Output<string>;
  public readonly subscriptionName: pulumi.Output<string>;
  /** The agent's publisher grant: subscriptions that dead-letter here depend on it. */
  public readonly publisherGrant: gcp.pubsub.TopicIAMMember;

  constructor(name: string, args: DeadLetterTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("streaming-inference:messaging:DeadLetterTopic", name, {}, opts);
    const retention = seconds(args.retentionSeconds ?? MAX_RETENTION_SECONDS);
    const topic = new gcp.pubsub.Topic(
      `${name}-topic`,
      {
        project: args.project,
        name: args.topicName,
        kmsKeyName: args.kmsKey.id,
        messageStoragePolicy: storagePolicy(
          args.storageRegions,
          args.enforceInTransit ?? MESSAGING_DEFAULTS.enforceInTransit,
        ),
        messageRetentionDuration: retention,
        labels: args.labels,
      },
      { parent: this, dependsOn: grantsOf(args.kmsKey) },
    );
    // The end of the line: no dead-letter policy of its own; labelled so policies can tell.
    const inspection = new gcp.pubsub.Subscription(
      `${name}-inspect`,
      {
        project: args.project,
        name: args.subscriptionName,
        topic: topic.id,
        ackDeadlineSeconds: 60,
        messageRetentionDuration: retention,
        retainAckedMessages: false,
        enableExactlyOnceDelivery: false,
        expirationPolicy: NEVER_EXPIRES,
        retryPolicy: { minimumBackoff: "10s", maximumBackoff: "600s" },
        labels: pulumi.output(args.labels ?? {}).apply((l) => ({ ...l, ...INSPECTION_LABEL })),
      },
      { parent: this },
    );
    this.publisherGrant = new gcp.pubsub.TopicIAMMember(
      `${name}-agent-publisher`,
      { project: args.project, topic: topic.name, role: PUBLISHER_ROLE, member: args.pubsubAgentMember },
      { parent: this },
    );
    this.topicId = topic.id;
    this.topicName = topic.name;
    this.subscriptionName = inspection.name;
    this.registerOutputs({ topicId: this.topicId, subscriptionName: this.subscriptionName });
  }
}
