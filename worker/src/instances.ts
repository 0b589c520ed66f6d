/**
 * One predict instance from an event's resolved features, in the shape the serving
 * container expects:
 * - `object`: `{ entityId, features: { name: value } }` (today's shape; custom containers);
 * - `array`: the values in declared order, `[5.1, 3.5, 1.4, 0.2]` (the prebuilt
 *   scikit-learn, XGBoost and TensorFlow containers take a list of numbers per instance).
 * An optional feature that is absent is left out of an object and `null` in an array,
 * so every position keeps its meaning.
 */
import type { FeatureSpec, InstanceShape, JsonValue } from "../../contract";
import type { ResolvedFeatures } from "./features";

export function buildInstance(
  entityId: string,
  features: ResolvedFeatures,
  shape: InstanceShape,
  declared: readonly FeatureSpec[] | undefined,
): JsonValue {
  if (shape === "array") {
    // The config refuses `array` without declared features (their order is the array's).
    if (declared === undefined) throw new Error("array instances need declared features (worker bug)");
    return declared.map((spec) => features[spec.name] ?? null);
  }
  const named: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(features)) if (value !== null) named[name] = value;
  return { entityId, features: named };
}
