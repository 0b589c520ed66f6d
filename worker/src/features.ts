/**
 * The features of one event, typed by the declared features: each taken from the event
 * (inline) or the stored row, by its declared source; decoded by its declared type;
 * defaulted or refused when missing. Nothing is dropped silently: a value that does not
 * fit is a `bad_feature`, a required one that is absent a `missing_feature`.
 *
 * With no declared features (today's contract) every stored column and every inline
 * feature is a number, and the event needs at least one of them.
 */
import {
  DEAD_LETTER_REASONS,
  decodeCell,
  describeValue,
  hasFeatureType,
  CELL_ENCODING,
  DEFAULT_MISSING_FEATURE_POLICY,
  DEGRADED_MISSING_STORED_ROW,
  type MissingFeaturePolicy,
  type DeadLetterReason,
  type FeatureSpec,
  type FeatureValue,
  type InferenceEvent,
  type JsonValue,
} from "../../contract";
import type { StoredRow } from "./enrich";

/** Feature name -> value; `null` for an optional feature that is absent and has no default. */
export type ResolvedFeatures = Record<string, FeatureValue | null>;

export type FeatureResolution =
  | {
      ok: true;
      features: ResolvedFeatures;
      /** Set when predicted on less than the store should have supplied (policy `flag`): why. */
      degraded?: string;
    }
  | { ok: false; reason: DeadLetterReason; message: string };

function poison(reason: DeadLetterReason, message: string): FeatureResolution {
  return { ok: false, reason, message };
}

function noFeatures(entityId: string): FeatureResolution {
  return poison(
    DEAD_LETTER_REASONS.noFeatures,
    `entity ${JSON.stringify(entityId)} has no stored features and the event has none inline`,
  );
}

/**
 * The entity has no stored row, so features the store should supply are missing (`what`):
 * refused as `missing_feature`, or predicted and flagged, as the model's config says.
 */
function withoutStoredRow(
  features: ResolvedFeatures,
  event: InferenceEvent,
  what: string,
  policy: MissingFeaturePolicy,
): FeatureResolution {
  if (policy === "flag") return { ok: true, features, degraded: DEGRADED_MISSING_STORED_ROW };
  return poison(
    DEAD_LETTER_REASONS.missingFeature,
    `entity ${JSON.stringify(event.entityId)} has no stored row, so ${what}; a prediction on the ` +
      "inline features alone would be degraded (model.missingFeatures is refuse; flag predicts and marks it)",
  );
}

/** Today's contract: every stored column and inline feature, as numbers (inline wins). */
function resolveUndeclared(
  event: InferenceEvent,
  stored: StoredRow | undefined,
  policy: MissingFeaturePolicy,
): FeatureResolution {
  const features: ResolvedFeatures = {};
  for (const [name, text] of Object.entries(stored ?? {})) {
    if (event.features?.[name] !== undefined) continue; // overridden inline: the cell is not used
    const value = decodeCell("number", text);
    if (value === undefined) {
      return poison(
        DEAD_LETTER_REASONS.badFeature,
        `stored feature "${name}" of entity ${JSON.stringify(event.entityId)} is ${describeValue(text)}; ` +
          `expected number (${CELL_ENCODING.number}); declare model.features to use other types`,
      );
    }
    features[name] = value;
  }
  for (const [name, value] of Object.entries(event.features ?? {})) {
    if (!hasFeatureType("number", value)) {
      return poison(
        DEAD_LETTER_REASONS.invalidFeatures,
        `features.${name} is ${describeValue(value)}; each feature must be a finite number`,
      );
    }
    features[name] = value;
  }
  const count = Object.keys(features).length;
  if (count === 0) return noFeatures(event.entityId);
  if (stored === undefined)
    return withoutStoredRow(
      features,
      event,
      `the event's ${count} inline feature(s) are all there is`,
      policy,
    );
  return { ok: true, features };
}

type Found = { from: "event" | "store"; value: FeatureValue } | { from: "default" | "none" };

function findValue(
  spec: FeatureSpec,
  event: InferenceEvent,
  stored: StoredRow | undefined,
): Found | FeatureResolution {
  const inline: JsonValue | undefined = event.features?.[spec.name];
  // `null` inline counts as not sent: the stored value or the default applies.
  if (spec.source !== "store" && inline !== undefined && inline !== null) {
    if (!hasFeatureType(spec.type, inline)) {
      return poison(
        DEAD_LETTER_REASONS.badFeature,
        `feature "${spec.name}" in the event is ${describeValue(inline)}; expected ${spec.type}`,
      );
    }
    return { from: "event", value: inline };
  }
  const text = spec.source !== "event" ? stored?.[spec.name] : undefined;
  if (text !== undefined) {
    const value = decodeCell(spec.type, text);
    if (value === undefined) {
      return poison(
        DEAD_LETTER_REASONS.badFeature,
        `stored feature "${spec.name}" of entity ${JSON.stringify(event.entityId)} is ${describeValue(text)}; ` +
          `expected ${spec.type} (${CELL_ENCODING[spec.type]})`,
      );
    }
    return { from: "store", value };
  }
  return { from: spec.default === undefined ? "none" : "default" };
}

function whereMissing(spec: FeatureSpec, event: InferenceEvent, stored: StoredRow | undefined): string {
  const row = stored === undefined ? "there is no stored row" : "the stored row has no such column";
  const entity = JSON.stringify(event.entityId);
  switch (spec.source) {
    case "event":
      return `the event (entity ${entity}) does not carry it inline`;
    case "store":
      return `it is read from the store only, and ${row} for entity ${entity}`;
    case "either":
      return `the event does not carry it and ${row} for entity ${entity}`;
  }
}

/** The event's features as the declared features say, or why the event is poison. */
export function resolveFeatures(
  event: InferenceEvent,
  stored: StoredRow | undefined,
  declared: readonly FeatureSpec[] | undefined,
  policy: MissingFeaturePolicy = DEFAULT_MISSING_FEATURE_POLICY,
): FeatureResolution {
  if (declared === undefined) return resolveUndeclared(event, stored, policy);
  // An entity with no stored row, and an event with none of its features inline: unknown.
  const carriesAny = declared.some(
    (spec) => spec.source !== "store" && (event.features?.[spec.name] ?? null) !== null,
  );
  if (stored === undefined && !carriesAny) return noFeatures(event.entityId);
  const features: ResolvedFeatures = {};
  /** Optional features the store would have supplied, absent for want of a row (defaults are declared fallbacks). */
  const notStored: string[] = [];
  let found = 0;
  for (const spec of declared) {
    const result = findValue(spec, event, stored);
    if ("ok" in result) return result;
    if (result.from === "event" || result.from === "store") {
      features[spec.name] = result.value;
      found++;
    } else if (result.from === "default") {
      features[spec.name] = spec.default as FeatureValue;
    } else if (spec.required) {
      return poison(
        DEAD_LETTER_REASONS.missingFeature,
        `required feature "${spec.name}" (${spec.type}) is missing: ${whereMissing(spec, event, stored)}`,
      );
    } else {
      features[spec.name] = null;
      if (stored === undefined && spec.source !== "event") notStored.push(spec.name);
    }
  }
  // Only defaults and nulls: nothing is known about this entity.
  if (found === 0) return noFeatures(event.entityId);
  if (notStored.length > 0)
    return withoutStoredRow(
      features,
      event,
      `optional feature(s) ${notStored.map((name) => `"${name}"`).join(", ")} are missing`,
      policy,
    );
  return { ok: true, features };
}
