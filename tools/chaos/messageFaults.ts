/**
 * The event streams of the message-level chaos scenarios (issue 21): an event the model
 * answers badly every time among valid ones (`one-bad-instance`), and events whose outputs
 * would break Pub/Sub's limits if the worker copied them as they came (`output-limits`).
 */
import { FEATURE_TABLE } from "../../contract";
import type { LocalPlatform } from "../../local";
import { entityId, SYNTHETIC_FEATURES, seedFeatures } from "../../local/provision/features";
import { eventStream, LOAD_KEY_ATTRIBUTE, type LoadMessage } from "../../local/load/events";

/** The inline feature the stand-in answers with an error (`faults.badAnswerFeature`). */
export const BAD_ANSWER_FEATURE = "chaos_bad_answer";
/** One event in this many carries it. */
export const BAD_ANSWER_EVERY = 50;

/** Valid events of the suite's stream, with every `BAD_ANSWER_EVERY`th one marked for a bad answer. */
export function* badAnswerStream(options: {
  count: number;
  entities: number;
  runId: string;
}): Generator<LoadMessage> {
  let i = 0;
  for (const message of eventStream({ ...options, poisonShare: 0 })) {
    if (i++ % BAD_ANSWER_EVERY !== BAD_ANSWER_EVERY - 1) {
      yield message;
      continue;
    }
    const event = JSON.parse(message.data.toString("utf8")) as { features?: Record<string, number> };
    event.features = { ...event.features, [BAD_ANSWER_FEATURE]: 1 };
    yield { ...message, kind: "bad-answer", data: Buffer.from(JSON.stringify(event)) };
  }
}

/** Entities with 3,000-byte ids (within Bigtable's 4 KB row key and decode.ts's 4,096 bytes). */
export const LONG_ENTITIES = 20;
export function longEntityId(i: number): string {
  // Half ASCII, half two-byte characters: the limits are in bytes, not characters.
  const filler = i % 2 === 0 ? "x".repeat(3_000) : "é".repeat(1_500);
  return `long-${String(i).padStart(3, "0")}-${filler}`.slice(0, 3_000);
}

/** Seeds the long-id entities, so their events are valid (a stored row; nothing degraded). */
export async function seedLongEntities(platform: LocalPlatform): Promise<void> {
  const table = platform.clients.bigtable.instance(platform.bigtableInstance).table(FEATURE_TABLE.tableId);
  const features = Object.fromEntries(SYNTHETIC_FEATURES.map((name, k) => [name, (k - 3) / 4]));
  await seedFeatures(
    table,
    Array.from({ length: LONG_ENTITIES }, (_, i) => ({ entityId: longEntityId(i), features })),
  );
}

/** 99 attributes besides the load key: 100 on the input, the most Pub/Sub takes. */
function manyAttributes(key: string): Record<string, string> {
  const attributes: Record<string, string> = { [LOAD_KEY_ATTRIBUTE]: key };
  for (let k = 0; k < 99; k++) attributes[`producer.attr${String(k).padStart(2, "0")}`] = `value-${k}`;
  return attributes;
}

/**
 * Per 10 events: 6 plain valid ones; 2 valid with a 3,000-byte entity id (the prediction's
 * entity attribute must be bounded); 1 valid with 100 input attributes; 1 poison with 100
 * input attributes, a long entity id and a feature that is not a number (its dead letter
 * cannot copy 100 attributes beside its own 4).
 */
export function* outputLimitsStream(options: {
  count: number;
  entities: number;
  runId: string;
}): Generator<LoadMessage> {
  for (let i = 0; i < options.count; i++) {
    const key = `${options.runId}-${i}`;
    const slot = i % 10;
    const entity =
      slot === 1 || slot === 5 || slot === 9
        ? longEntityId(i % LONG_ENTITIES)
        : entityId(i % options.entities);
    const valid = slot !== 9;
    const event = {
      eventId: key,
      entityId: entity,
      ...(valid ? {} : { features: { discount_share: "not a number" } }),
    };
    yield {
      key,
      kind: valid ? "valid" : "over-limits",
      data: Buffer.from(JSON.stringify(event)),
      attributes: slot === 7 || slot === 9 ? manyAttributes(key) : { [LOAD_KEY_ATTRIBUTE]: key },
    };
  }
}
