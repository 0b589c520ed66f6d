/**
 * Input message -> event, or the reason it is poison. Only what can never succeed is
 * poison (bad JSON, missing ids, features not an object); nothing here depends on a
 * backend or on the model's features (`features.ts` types each value).
 */
import {
  DEAD_LETTER_REASONS,
  type DeadLetterReason,
  type InferenceEvent,
  type JsonValue,
} from "../../contract";

/** Bigtable's row-key limit: a longer entity id can never be looked up. */
const MAX_ENTITY_ID_BYTES = 4096;

export type Decoded =
  { ok: true; event: InferenceEvent } | { ok: false; reason: DeadLetterReason; message: string };

function poison(reason: DeadLetterReason, message: string): Decoded {
  return { ok: false, reason, message };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface DecodeLimits {
  /**
   * Largest event worth parsing: one predict request's size limit. Checked on the raw bytes
   * before JSON.parse, so an event of ~10 MB with hundreds of thousands of features costs
   * microseconds, not seconds of a blocked event loop (its instance could never be sent).
   */
  maxEventBytes?: number;
}

export function decodeEvent(data: Buffer, limits: DecodeLimits = {}): Decoded {
  if (limits.maxEventBytes !== undefined && data.length > limits.maxEventBytes) {
    return poison(
      DEAD_LETTER_REASONS.instanceTooLarge,
      `the event is ${data.length} bytes; one predict request may carry at most ${limits.maxEventBytes}, ` +
        "so it is refused before it is parsed",
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString("utf8"));
  } catch (err) {
    return poison(DEAD_LETTER_REASONS.invalidJson, `data is not valid JSON: ${(err as Error).message}`);
  }
  if (!isRecord(parsed)) {
    return poison(DEAD_LETTER_REASONS.invalidEvent, "data must be a JSON object with eventId and entityId");
  }
  const { eventId, entityId, features, eventTime } = parsed;
  if (typeof eventId !== "string" || eventId.length === 0) {
    return poison(DEAD_LETTER_REASONS.missingEventId, "eventId must be a non-empty string");
  }
  if (typeof entityId !== "string" || entityId.length === 0) {
    return poison(DEAD_LETTER_REASONS.missingEntityId, "entityId must be a non-empty string");
  }
  if (Buffer.byteLength(entityId) > MAX_ENTITY_ID_BYTES) {
    return poison(DEAD_LETTER_REASONS.invalidEvent, `entityId is longer than ${MAX_ENTITY_ID_BYTES} bytes`);
  }
  const event: InferenceEvent = { eventId, entityId };
  if (features !== undefined) {
    if (!isRecord(features)) {
      return poison(DEAD_LETTER_REASONS.invalidFeatures, "features must be an object of name -> value");
    }
    // JSON.parse makes "__proto__" an own key, but assigning it to a plain object sets the
    // prototype (or does nothing): the feature would vanish without a word. Refuse it by name.
    if (Object.prototype.hasOwnProperty.call(features, "__proto__")) {
      return poison(
        DEAD_LETTER_REASONS.invalidFeatures,
        'features has a feature named "__proto__", which is reserved: rename it',
      );
    }
    // Values are typed against the model's features with the stored ones (features.ts).
    event.features = features as Record<string, JsonValue>;
  }
  if (typeof eventTime === "string") event.eventTime = eventTime;
  return { ok: true, event };
}
