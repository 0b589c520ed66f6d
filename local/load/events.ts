/**
 * The event stream the local runner publishes: valid events for seeded entities,
 * mixed with each kind of poison message the worker must dead-letter.
 */
import { DEAD_LETTER_REASONS } from "../../contract";
import type { DeadLetterReason, FeatureValue, InferenceEvent } from "../../contract";
import { entityId } from "../provision/features";
import { seededRandom } from "../vertex/settings";

/** Attribute the runner puts on each input, to match it again after Pub/Sub dead-letters it. */
export const LOAD_KEY_ATTRIBUTE = "load.key";

export const POISON_KINDS = [
  "invalid-json",
  "missing-event-id",
  "missing-entity-id",
  "unknown-entity",
  "out-of-range",
] as const;
export type PoisonKind = (typeof POISON_KINDS)[number];
/**
 * Poison of the chaos scenarios' own streams (tools/chaos/scenarios.ts): an event the model
 * answers badly every time, an event whose outputs would break Pub/Sub's limits if copied as is.
 */
export type ScenarioPoisonKind = "bad-answer" | "over-limits";
export type EventKind = "valid" | PoisonKind | ScenarioPoisonKind;

/** The `error.reason` the worker gives each poison kind on its dead letter. */
export const EXPECTED_REASON: Record<PoisonKind | ScenarioPoisonKind, DeadLetterReason> = {
  "invalid-json": DEAD_LETTER_REASONS.invalidJson,
  "missing-event-id": DEAD_LETTER_REASONS.missingEventId,
  "missing-entity-id": DEAD_LETTER_REASONS.missingEntityId,
  "unknown-entity": DEAD_LETTER_REASONS.noFeatures, // not in Bigtable and no inline features
  "out-of-range": DEAD_LETTER_REASONS.modelRejected, // the model answers INVALID_ARGUMENT
  "bad-answer": DEAD_LETTER_REASONS.badModelAnswer, // the model answers an error for it, every time
  "over-limits": DEAD_LETTER_REASONS.invalidFeatures, // a bad feature, and 100 attributes to copy
};

/** One input message, before publishing. */
export interface LoadMessage {
  /** Unique within the run; also the `load.key` attribute. */
  key: string;
  kind: EventKind;
  data: Buffer;
  attributes: Record<string, string>;
}

export interface EventStreamOptions {
  /** How many messages. */
  count: number;
  /** Entities seeded in Bigtable (`entity-000000` ...); valid events pick among them. */
  entities: number;
  /** Share of poison messages (0..1), spread over the kinds in turn. Default 0. */
  poisonShare?: number;
  /** Share of valid events that carry one inline feature override. Default 0.1. */
  inlineShare?: number;
  /** Distinguishes runs (and tests) sharing a topic. Default "run". */
  runId?: string;
  /** Same seed, same stream. Default 1. */
  seed?: number;
  /** The inline override valid events carry. Default `discount_share: 0.25` (the scorer's). */
  inlineFeature?: InlineFeature;
  /** The inline feature of "out-of-range" poison, which the model refuses. Default `monetary_30d: 5e6`. */
  outOfRangeFeature?: InlineFeature;
}

export interface InlineFeature {
  name: string;
  value: FeatureValue;
}

const SCORER_INLINE: InlineFeature = { name: "discount_share", value: 0.25 };
const SCORER_OUT_OF_RANGE: InlineFeature = { name: "monetary_30d", value: 5e6 };

function eventData(
  kind: "valid" | PoisonKind,
  key: string,
  entity: string,
  inline: InlineFeature | undefined,
  outOfRange: InlineFeature,
): string {
  const eventTime = new Date().toISOString();
  switch (kind) {
    case "invalid-json":
      return `{"eventId": "${key}", "entityId": "${entity}"`; // truncated object
    case "missing-event-id":
      return JSON.stringify({ entityId: entity, eventTime });
    case "missing-entity-id":
      return JSON.stringify({ eventId: key, eventTime });
    case "unknown-entity":
      return JSON.stringify({ eventId: key, entityId: `unknown-${key}`, eventTime } satisfies InferenceEvent);
    case "out-of-range":
      return JSON.stringify({
        eventId: key,
        entityId: entity,
        features: { [outOfRange.name]: outOfRange.value },
        eventTime,
      });
    case "valid": {
      const event: InferenceEvent = { eventId: key, entityId: entity, eventTime };
      if (inline !== undefined) event.features = { [inline.name]: inline.value };
      return JSON.stringify(event);
    }
  }
}

/** The messages of a run, generated lazily in publish order. */
export function* eventStream(options: EventStreamOptions): Generator<LoadMessage> {
  const random = seededRandom(options.seed ?? 1);
  const poisonShare = options.poisonShare ?? 0;
  const inlineShare = options.inlineShare ?? 0.1;
  const runId = options.runId ?? "run";
  let poisonCount = 0;
  for (let i = 0; i < options.count; i++) {
    const key = `${runId}-${i}`;
    const entity = entityId(Math.floor(random() * options.entities));
    const poison = random() < poisonShare;
    const kind: "valid" | PoisonKind = poison ? POISON_KINDS[poisonCount++ % POISON_KINDS.length]! : "valid";
    yield {
      key,
      kind,
      data: Buffer.from(
        eventData(
          kind,
          key,
          entity,
          random() < inlineShare ? (options.inlineFeature ?? SCORER_INLINE) : undefined,
          options.outOfRangeFeature ?? SCORER_OUT_OF_RANGE,
        ),
      ),
      attributes: { [LOAD_KEY_ATTRIBUTE]: key },
    };
  }
}
