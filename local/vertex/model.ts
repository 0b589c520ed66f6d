/**
 * The stand-in model: a logistic scorer whose weights come from the feature
 * names, so any process scores the same instance the same way, in any batch.
 */
import { fnv1a, type ModelPrediction, type PredictionInstance } from "../../contract";
import type { JsonValue } from "./protobufValue";

/** Largest |feature value| the model accepts; larger is "out of range". */
export const MAX_FEATURE_MAGNITUDE = 1e6;

/** Why an instance was rejected; the server turns it into INVALID_ARGUMENT naming the index. */
export class InvalidInstanceError extends Error {
  constructor(
    readonly index: number,
    readonly reason: string,
  ) {
    super(`instance[${index}]: ${reason}`);
    this.name = "InvalidInstanceError";
  }
}

/** Weight of a feature in [-1, 1), derived from its name only. */
export function featureWeight(name: string): number {
  return (fnv1a(name) / 2 ** 32) * 2 - 1;
}

/** sigmoid(Σ w(name)·value / √n): scaled by √n so scores spread over (0, 1) whatever the feature count. */
export function score(features: Record<string, number>): number {
  const names = Object.keys(features).sort(); // a fixed summation order keeps the float result stable
  let z = 0;
  for (const name of names) z += featureWeight(name) * (features[name] ?? 0);
  return 1 / (1 + Math.exp(-z / Math.sqrt(names.length)));
}

function describe(value: JsonValue): string {
  return JSON.stringify(value) ?? String(value);
}

/** Checks one decoded instance against `PredictionInstance`; throws `InvalidInstanceError`. */
export function parseInstance(value: JsonValue, index: number): PredictionInstance {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidInstanceError(index, `expected an object {entityId, features}, got ${describe(value)}`);
  }
  const { entityId, features } = value;
  if (typeof entityId !== "string" || entityId === "") {
    throw new InvalidInstanceError(
      index,
      `"entityId" must be a non-empty string, got ${describe(entityId ?? null)}`,
    );
  }
  if (
    features === null ||
    typeof features !== "object" ||
    Array.isArray(features) ||
    features === undefined
  ) {
    throw new InvalidInstanceError(index, `(entity "${entityId}") "features" must be an object of numbers`);
  }
  const entries = Object.entries(features);
  if (entries.length === 0) {
    throw new InvalidInstanceError(index, `(entity "${entityId}") has no features`);
  }
  const parsed: Record<string, number> = {};
  for (const [name, raw] of entries) {
    if (typeof raw !== "number" || !Number.isFinite(raw)) {
      throw new InvalidInstanceError(
        index,
        `(entity "${entityId}") feature "${name}" must be a finite number, got ${describe(raw)}`,
      );
    }
    if (Math.abs(raw) > MAX_FEATURE_MAGNITUDE) {
      throw new InvalidInstanceError(
        index,
        `(entity "${entityId}") feature "${name}" = ${raw} is out of range (|value| <= ${MAX_FEATURE_MAGNITUDE})`,
      );
    }
    parsed[name] = raw;
  }
  return { entityId, features: parsed };
}

/** Scores a whole request; any invalid instance rejects all of it, as Vertex does. */
export function predictAll(instances: readonly JsonValue[]): ModelPrediction[] {
  const parsed = instances.map(parseInstance);
  return parsed.map((instance) => ({ score: score(instance.features) }));
}
