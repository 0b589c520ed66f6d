/**
 * Publishing what the worker produces: predictions to the predictions topic and poison
 * messages to the dead-letter topic. Each publish returns a promise that resolves only
 * once Pub/Sub has stored the message, so the input is acked only after that.
 */
import type { PubSub, Topic } from "@google-cloud/pubsub";
import {
  ATTRIBUTES,
  boundToBytes,
  DEAD_LETTER_ATTRIBUTES,
  DEAD_LETTER_ENVELOPE_VERSION,
  type DeadLetterEnvelope,
  pubsubMessageProblems,
  type DeadLetterReason,
  type PredictionRecord,
} from "../../contract";

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
      // An entity id may be up to 4,096 bytes (decode.ts); the attribute is bounded, the body has it whole.
      [ATTRIBUTES.entityId]: boundToBytes(record.entityId),
      [ATTRIBUTES.modelId]: boundToBytes(record.modelId),
      [ATTRIBUTES.eventPublishTime]: record.eventPublishTime,
      [ATTRIBUTES.predictLatencyMs]: record.predictLatencyMs.toFixed(1),
      [ATTRIBUTES.endToEndMs]: endToEndMs.toFixed(1),
      ...(record.degraded === undefined ? {} : { [ATTRIBUTES.degraded]: record.degraded }),
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

/**
 * The dead letter: the original data and attributes, plus why and which input it was, within
 * Pub/Sub's limits (contract/pubsubLimits.ts). The worker's own attributes always go on it
 * (bounded); the input's attributes are copied as they came when they all fit beside them.
 * When they do not (an input with 97+ attributes, or one near the size limit), the body becomes
 * a `DeadLetterEnvelope` holding the input's data and all its attributes, so a replay loses
 * nothing. Only when even the envelope is too large (a ~7.5 MB input with that many attributes)
 * are input attributes left out, as many as needed, and counted (`dlq.attributesLeftOut`).
 */
export function deadLetterMessage(fields: DeadLetterFields): OutgoingMessage {
  const own: Record<string, string> = {
    [ATTRIBUTES.inputMessageId]: boundToBytes(fields.inputMessageId),
    [ATTRIBUTES.errorReason]: fields.reason,
    [ATTRIBUTES.errorMessage]: boundToBytes(fields.message),
  };
  if (fields.entityId !== undefined) own[ATTRIBUTES.entityId] = boundToBytes(fields.entityId);
  const copied = Object.fromEntries(Object.entries(fields.attributes).filter(([key]) => !(key in own)));
  const plain = { data: fields.data, attributes: { ...copied, ...own } };
  if (fits(plain)) return plain;

  const envelope: DeadLetterEnvelope = {
    data: fields.data.toString("base64"),
    attributes: fields.attributes,
  };
  const wrapped = {
    data: Buffer.from(JSON.stringify(envelope)),
    attributes: { ...own, [DEAD_LETTER_ATTRIBUTES.body]: DEAD_LETTER_ENVELOPE_VERSION },
  };
  if (fits(wrapped)) return wrapped;

  // The input's data as it came, and as many of its attributes as fit.
  const kept: Record<string, string> = { ...own, [DEAD_LETTER_ATTRIBUTES.attributesLeftOut]: "0" };
  let leftOut = 0;
  for (const [key, value] of Object.entries(copied)) {
    const candidate = { data: fields.data, attributes: { ...kept, [key]: value } };
    if (fits(candidate)) kept[key] = value;
    else leftOut++;
  }
  kept[DEAD_LETTER_ATTRIBUTES.attributesLeftOut] = String(leftOut);
  return { data: fields.data, attributes: kept };
}

function fits(message: OutgoingMessage): boolean {
  return pubsubMessageProblems(message).length === 0;
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
