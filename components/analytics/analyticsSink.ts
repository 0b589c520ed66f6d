/**
 * Predictions into BigQuery with no code in the path: a CMEK dataset and a partitioned,
 * clustered predictions table, fed by a BigQuery subscription on the predictions topic,
 * with its own dead-letter topic for rows BigQuery rejects. The Pub/Sub service agent
 * may edit this table, publish to that dead-letter topic and ack on this subscription -
 * each granted on the one resource.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { ANALYTICS_DEFAULTS } from "./defaults";
import {
  PREDICTION_TABLE_CLUSTERING,
  PREDICTION_TABLE_PARTITION_FIELD,
  PREDICTION_TABLE_SCHEMA,
  SUBSCRIPTION_DEFAULTS,
  CHANNELS,
  channelNames,
} from "../../contract";
import { grantsOf, type KeyRef } from "../encryption/keyRef";
import { DeadLetterTopic } from "../messaging/deadLetterTopic";
import { NEVER_EXPIRES, SUBSCRIBER_ROLE, seconds } from "../messaging/settings";
import { schemaTakesMetadata } from "./subscriptionMetadata";
import { LATEST_ROW_RULES, latestRowQuery } from "./latestViews";

const MS_PER_DAY = 86_400_000;
export const PREDICTIONS_TABLE_ID = "predictions";

export interface AnalyticsSinkArgs {
  /** Project of the dataset and subscription. Defaults to the provider's project. */
  project?: pulumi.Input<string>;
  /** Resource name prefix: subscription `<prefix>-predictions-bigquery`, its DLQ `...-dlq`. Required. */
  prefix: string;
  /** Dataset id (letters, digits, underscores). Defaults to `<prefix>_analytics` with `-` as `_`. */
  datasetId?: string;
  /** BigQuery location (`US`, `EU` or a region). Required. */
  location: pulumi.Input<string>;
  /** CMEK key of the dataset and table; must be in `location`. Required. */
  kmsKey: KeyRef;
  /** The predictions topic the subscription reads. Required. */
  predictionsTopicId: pulumi.Input<string>;
  /** CMEK key of the dead-letter topic (the Pub/Sub key). Required. */
  deadLetterKmsKey: KeyRef;
  /** Regions the dead letters may be stored in. Required. */
  storageRegions: pulumi.Input<pulumi.Input<string>[]>;
  /** Enforce `storageRegions` in transit on the dead-letter topic. Defaults to false. */
  enforceInTransit?: pulumi.Input<boolean>;
  /** IAM member of the Pub/Sub service agent (it writes the rows). Required. */
  pubsubAgentMember: pulumi.Input<string>;
  /** Partitions older than this are dropped, days. Defaults to 400. */
  partitionExpirationDays?: pulumi.Input<number>;
  /** Deletion protection on the table; with it off, the dataset may be destroyed with its contents. Defaults to true. */
  deletionProtection?: pulumi.Input<boolean>;
  /** Deliveries before a rejected row is dead-lettered, 5-100. Defaults to 5. */
  maxDeliveryAttempts?: pulumi.Input<number>;
  /** Retry backoff bounds, seconds. Default 10 and 300. */
  minimumBackoffSeconds?: pulumi.Input<number>;
  maximumBackoffSeconds?: pulumi.Input<number>;
  /** Retention of undelivered messages, seconds. Defaults to one day. */
  messageRetentionSeconds?: pulumi.Input<number>;
  /** Labels on dataset, table, topic and subscription. Defaults to none. */
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class AnalyticsSink extends pulumi.ComponentResource {
  public readonly datasetId: pulumi.Output<string>;
  public readonly tableId: pulumi.Output<string>;
  /** `project.dataset.table`, as BigQuery and the subscription name it. */
  public readonly tableReference: pulumi.Output<string>;
  public readonly subscriptionName: pulumi.Output<string>;
  public readonly deadLetter: DeadLetterTopic;
  /** View id -> `project.dataset.view` of the de-duplicating views (./latestViews.ts). */
  public readonly latestViews: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: AnalyticsSinkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("streaming-inference:analytics:AnalyticsSink", name, {}, opts);
    const { project, labels } = args;
    const names = channelNames(args.prefix, `${CHANNELS.predictions}-bigquery`);
    const deletionProtection = pulumi.output(args.deletionProtection ?? true);
    const encryption = { kmsKeyName: args.kmsKey.id };

    const dataset = new gcp.bigquery.Dataset(
      `${name}-dataset`,
      {
        project,
        datasetId: args.datasetId ?? `${args.prefix.replace(/-/g, "_")}_analytics`,
        location: args.location,
        description: "Streaming-inference predictions.",
        defaultEncryptionConfiguration: encryption,
        deleteContentsOnDestroy: deletionProtection.apply((p) => !p),
        labels,
      },
      { parent: this, dependsOn: grantsOf(args.kmsKey) },
    );

    const table = new gcp.bigquery.Table(
      `${name}-predictions`,
      {
        project,
        datasetId: dataset.datasetId,
        tableId: PREDICTIONS_TABLE_ID,
        description: "One row per prediction, written by the BigQuery subscription.",
        schema: JSON.stringify(PREDICTION_TABLE_SCHEMA),
        timePartitioning: {
          type: "DAY",
          field: PREDICTION_TABLE_PARTITION_FIELD,
          expirationMs: pulumi
            .output(args.partitionExpirationDays ?? ANALYTICS_DEFAULTS.partitionExpirationDays)
            .apply((d) => d * MS_PER_DAY),
        },
        clusterings: [...PREDICTION_TABLE_CLUSTERING],
        encryptionConfiguration: encryption,
        deletionProtection,
        labels,
      },
      { parent: this, dependsOn: grantsOf(args.kmsKey) },
    );

    const tableWriter = new gcp.bigquery.IamMember(
      `${name}-agent-writer`,
      {
        project: table.project,
        datasetId: table.datasetId,
        tableId: table.tableId,
        role: "roles/bigquery.dataEditor",
        member: args.pubsubAgentMember,
      },
      { parent: this },
    );

    this.deadLetter = new DeadLetterTopic(
      `${name}-dlq`,
      {
        project,
        topicName: names.deadLetterTopic,
        subscriptionName: names.deadLetterSubscription,
        kmsKey: args.deadLetterKmsKey,
        storageRegions: args.storageRegions,
        enforceInTransit: args.enforceInTransit,
        pubsubAgentMember: args.pubsubAgentMember,
        labels,
      },
      { parent: this },
    );

    this.tableReference = pulumi.interpolate`${table.project}.${table.datasetId}.${table.tableId}`;
    // Logical views store no data, so they take no CMEK key (BigQuery's CMEK covers data in managed
    // storage; a view's query runs on the CMEK table each time). Table.yaml (magic-modules) `view`:
    // `query`, `useLegacySql`.
    const tableReference = this.tableReference;
    this.latestViews = Object.fromEntries(
      LATEST_ROW_RULES.map((rule) => {
        const view = new gcp.bigquery.Table(
          `${name}-${rule.viewId}`,
          {
            project,
            datasetId: dataset.datasetId,
            tableId: rule.viewId,
            description: rule.description,
            view: { query: tableReference.apply((ref) => latestRowQuery(rule, ref)), useLegacySql: false },
            deletionProtection,
            labels,
          },
          { parent: this, dependsOn: [table] },
        );
        return [rule.viewId, pulumi.interpolate`${view.project}.${view.datasetId}.${view.tableId}`] as const;
      }),
    );
    const subscription = new gcp.pubsub.Subscription(
      `${name}-subscription`,
      {
        project,
        name: names.topic,
        topic: args.predictionsTopicId,
        bigqueryConfig: {
          table: this.tableReference,
          useTableSchema: true,
          // Fields the table does not have are dropped, not stuck in the backlog.
          dropUnknownFields: true,
          writeMetadata: schemaTakesMetadata(PREDICTION_TABLE_SCHEMA),
        },
        ackDeadlineSeconds: SUBSCRIPTION_DEFAULTS.ackDeadlineSeconds,
        messageRetentionDuration: seconds(
          args.messageRetentionSeconds ?? SUBSCRIPTION_DEFAULTS.messageRetentionSeconds,
        ),
        enableExactlyOnceDelivery: false,
        expirationPolicy: NEVER_EXPIRES,
        deadLetterPolicy: {
          deadLetterTopic: this.deadLetter.topicId,
          maxDeliveryAttempts: args.maxDeliveryAttempts ?? SUBSCRIPTION_DEFAULTS.maxDeliveryAttempts,
        },
        retryPolicy: {
          minimumBackoff: seconds(args.minimumBackoffSeconds ?? SUBSCRIPTION_DEFAULTS.minimumBackoffSeconds),
          maximumBackoff: seconds(args.maximumBackoffSeconds ?? SUBSCRIPTION_DEFAULTS.maximumBackoffSeconds),
        },
        labels,
      },
      // Pub/Sub checks at creation that its agent can write the table.
      { parent: this, dependsOn: [tableWriter, this.deadLetter.publisherGrant] },
    );
    new gcp.pubsub.SubscriptionIAMMember(
      `${name}-subscription-agent-subscriber`,
      { project, subscription: subscription.name, role: SUBSCRIBER_ROLE, member: args.pubsubAgentMember },
      { parent: this },
    );

    this.datasetId = dataset.datasetId;
    this.tableId = table.tableId;
    this.subscriptionName = subscription.name;
    this.registerOutputs({
      datasetId: this.datasetId,
      tableReference: this.tableReference,
      latestViews: this.latestViews,
      subscriptionName: this.subscriptionName,
      deadLetterTopicName: this.deadLetter.topicName,
    });
  }
}
