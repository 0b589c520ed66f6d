/**
 * Resource names shared by the Pulumi components and the local runner, so the
 * emulator set-up creates exactly what `pulumi up` declares.
 */

/** Names of the messaging resources for one platform instance, derived from its prefix. */
export interface ChannelNames {
  /** The topic itself. */
  topic: string;
  /** The dead-letter topic of the subscriptions on `topic`. */
  deadLetterTopic: string;
  /** The subscription on the dead-letter topic, for inspection and replay. */
  deadLetterSubscription: string;
  /** The pull subscription consumed in `region`. */
  subscription(region: string): string;
}

export function channelNames(prefix: string, channel: string): ChannelNames {
  const topic = `${prefix}-${channel}`;
  return {
    topic,
    deadLetterTopic: `${topic}-dlq`,
    deadLetterSubscription: `${topic}-dlq-inspect`,
    subscription: (region: string) => `${topic}-${region}`,
  };
}

/** The two channels of the platform: events in, predictions out. */
export const CHANNELS = { events: "events", predictions: "predictions" } as const;

/** The Bigtable table, column families and app profile the worker reads through. */
export const FEATURE_TABLE = {
  /** Table id. Row key = entity id. */
  tableId: "features",
  /** Column family with one feature per column (value: UTF-8 text by declared type, `CELL_ENCODING`). */
  featureFamily: "f",
  /** Keep only the newest cell of each feature column. */
  featureMaxVersions: 1,
  /** App profile used by the worker: multi-cluster routing, so a regional outage fails over. */
  appProfileId: "worker",
} as const;

/** Attribute keys on published predictions and dead letters. */
export const ATTRIBUTES = {
  inputMessageId: "input.messageId",
  entityId: "entity.id",
  modelId: "model.id",
  eventPublishTime: "timing.eventPublishTime",
  predictLatencyMs: "timing.predictLatencyMs",
  endToEndMs: "timing.endToEndMs",
  errorReason: "error.reason",
  errorMessage: "error.message",
  /** On a prediction made with features missing (`PredictionRecord.degraded`): why. */
  degraded: "prediction.degraded",
} as const;
