/**
 * Publishing what the worker produces: predictions to the predictions topic and poison
 * messages to the dead-letter topic. Each publish returns a promise that resolves only
 * once Pub/Sub has stored the message, so the input is acked only after that.
 */
import type { PubSub, Topic } from "@google-cloud/pubsub";
import { ATTRIBUTES, type DeadLetterReason, type PredictionRecord } from "../../contract";

/** An outgoing message: JSON or raw data, and string attributes. */
export interface OutgoingMessage {
  data: Buffer;
  attributes: Record<string, string>;
}

export interface OutputPublisher {
  /** Resolves with the published message id once the predictions topic has it. */
  publishPrediction(message: OutgoingMessage): Promise<string>;
  /** Resolves with the published message id once the dead-letter topic has it. */
  publishDeadLetter(message: OutgoingMessage): Promise<string>;
  /** Sends what is batched and releases the topics. */
  close(): Promise<void>;
}

/** Pub/Sub caps an attribute value at 1024 bytes. */
const MAX_ATTRIBUTE_BYTES = 1024;

function truncate(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = text.slice(0, maxBytes);
  while (Buffer.byteLength(out) > maxBytes - 3) out = out.slice(0, -1);
  return `${out}...`;
}

export interface PredictionFields {
  record: PredictionRecord;
  /** ms from the input's publish time to now (when the prediction is handed to Pub/Sub). */
  endToEndMs: number;
}

/** The prediction message: the JSON record, and attributes for filtering and de-duplication. */
export function predictionMessage({ record, endToEndMs }: PredictionFields): OutgoingMessage {
  return {
    data: Buffer.from(JSON.stringify(record)),
    attributes: {
      [ATTRIBUTES.inputMessageId]: record.messageId,
      [ATTRIBUTES.entityId]: record.entityId,
      [ATTRIBUTES.modelId]: record.modelId,
      [ATTRIBUTES.eventPublishTime]: record.eventPublishTime,
      [ATTRIBUTES.predictLatencyMs]: record.predictLatencyMs.toFixed(1),
      [ATTRIBUTES.endToEndMs]: endToEndMs.toFixed(1),
    },
  };
}

export interface DeadLetterFields {
  inputMessageId: string;
  data: Buffer;
  attributes: Record<string, string>;
  reason: DeadLetterReason;
  message: string;
  entityId?: string;
}

/** The dead letter: the original data and attributes, plus why and which input it was. */
export function deadLetterMessage(fields: DeadLetterFields): OutgoingMessage {
  const attributes: Record<string, string> = {
    ...fields.attributes,
    [ATTRIBUTES.inputMessageId]: fields.inputMessageId,
    [ATTRIBUTES.errorReason]: fields.reason,
    [ATTRIBUTES.errorMessage]: truncate(fields.message, MAX_ATTRIBUTE_BYTES),
  };
  if (fields.entityId !== undefined)
    attributes[ATTRIBUTES.entityId] = truncate(fields.entityId, MAX_ATTRIBUTE_BYTES);
  return { data: fields.data, attributes };
}

export interface PubSubOutputOptions {
  predictionsTopic: string;
  deadLetterTopic: string;
  /** Predictions of one batch go out together; send as soon as a batch's worth is queued. */
  maxMessagesPerPublish: number;
  /** Longest a prediction waits to be grouped with others, ms. Small: the input waits on it. */
  maxPublishDelayMs: number;
}

export class PubSubOutputPublisher implements OutputPublisher {
  private readonly predictions: Topic;
  private readonly deadLetters: Topic;

  constructor(pubsub: PubSub, options: PubSubOutputOptions) {
    this.predictions = pubsub.topic(options.predictionsTopic, {
      batching: { maxMessages: options.maxMessagesPerPublish, maxMilliseconds: options.maxPublishDelayMs },
    });
    this.deadLetters = pubsub.topic(options.deadLetterTopic, {
      batching: { maxMessages: 100, maxMilliseconds: options.maxPublishDelayMs },
    });
  }

  publishPrediction(message: OutgoingMessage): Promise<string> {
    return this.predictions.publishMessage(message);
  }

  publishDeadLetter(message: OutgoingMessage): Promise<string> {
    return this.deadLetters.publishMessage(message);
  }

  async close(): Promise<void> {
    await Promise.all([this.predictions.flush(), this.deadLetters.flush()]);
  }
}
