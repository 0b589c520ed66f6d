/**
 * The wire formats of the platform: the event a producer publishes, and the
 * prediction the worker publishes (also the row the BigQuery subscription writes).
 */
import type { JsonValue } from "./json";
import type { FeatureValue } from "./modelIo";

/** An input event (JSON in the Pub/Sub message data). */
export interface InferenceEvent {
  /** Producer-side id of the event; required. */
  eventId: string;
  /** The entity whose features are looked up in Bigtable (the row key); required. */
  entityId: string;
  /**
   * Features sent inline; they override the stored ones of the same name. Numbers under
   * today's contract; any declared type (contract/modelIo.ts) when features are declared.
   */
  features?: Record<string, JsonValue>;
  /** When the event happened (RFC 3339); informational. */
  eventTime?: string;
}

/** A prediction (JSON in the Pub/Sub message data, one BigQuery row). */
export interface PredictionRecord {
  /** Pub/Sub message id of the input: the de-duplication key downstream. */
  messageId: string;
  eventId: string;
  entityId: string;
  modelId: string;
  /** The model's answer for this event, whole (any JSON value). */
  prediction: JsonValue;
  /** The number at the output spec's `scoreField` (today's contract: `score`, in [0, 1]); absent without one. */
  score?: number;
  /** The value at the output spec's `labelField`, as text; absent without one. */
  label?: string;
  /** When the input was published to Pub/Sub (RFC 3339). */
  eventPublishTime: string;
  /** When the prediction was made (RFC 3339). */
  predictTime: string;
  /** Wall time of the predict call that scored this event, in ms. */
  predictLatencyMs: number;
  /**
   * Set when the prediction was made on less than the store should have supplied (the model's
   * `missingFeatures: flag`): why, e.g. `missing_stored_row`. Absent on a full prediction.
   */
  degraded?: string;
}

/** BigQuery schema of the predictions table, in the REST API's JSON form. */
export const PREDICTION_TABLE_SCHEMA = [
  {
    name: "messageId",
    type: "STRING",
    mode: "REQUIRED",
    description: "Input Pub/Sub message id; de-duplication key.",
  },
  { name: "eventId", type: "STRING", mode: "REQUIRED", description: "Producer-side event id." },
  { name: "entityId", type: "STRING", mode: "REQUIRED", description: "Entity scored (Bigtable row key)." },
  {
    name: "modelId",
    type: "STRING",
    mode: "REQUIRED",
    description: "Deployed model that produced the score.",
  },
  {
    name: "score",
    type: "FLOAT64",
    // NULLABLE since models may answer without a score (relaxing REQUIRED is an in-place change).
    mode: "NULLABLE",
    description: "The number at the output spec's scoreField (today's contract: score in [0, 1]).",
  },
  {
    name: "eventPublishTime",
    type: "TIMESTAMP",
    mode: "REQUIRED",
    description: "When the input was published.",
  },
  {
    name: "predictTime",
    type: "TIMESTAMP",
    mode: "REQUIRED",
    description: "When the prediction was made; partitioning column.",
  },
  {
    name: "predictLatencyMs",
    type: "FLOAT64",
    mode: "NULLABLE",
    description: "Wall time of the predict call, ms.",
  },
  // Added after the first release: new columns go last and NULLABLE, so an existing table
  // is updated in place (terraform-provider-google resourceBigQueryTableSchemaIsChangeable).
  {
    name: "prediction",
    type: "JSON",
    mode: "NULLABLE",
    description: "The model's answer for this event, whole.",
  },
  {
    name: "label",
    type: "STRING",
    mode: "NULLABLE",
    description: "The value at the output spec's labelField, as text.",
  },
  {
    name: "degraded",
    type: "STRING",
    mode: "NULLABLE",
    description:
      "Why the prediction was made on fewer features than the store holds (missingFeatures: flag).",
  },
] as const;

/** Column the predictions table is partitioned on, and the clustering columns. */
export const PREDICTION_TABLE_PARTITION_FIELD = "predictTime";
export const PREDICTION_TABLE_CLUSTERING = ["entityId", "modelId"] as const;

/** One instance in a Vertex predict request, as the worker sends it and the model reads it. */
export interface PredictionInstance {
  entityId: string;
  /** Stored features merged with the event's inline ones (inline wins). */
  features: Record<string, FeatureValue>;
}

/** One prediction of today's contract (the default output spec), in the order of the instances. */
export interface ModelPrediction {
  score: number;
}
