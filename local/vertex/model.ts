/**
 * The stand-in scorer: a logistic model whose weights come from the feature names
 * (and, for categorical features, from name=value), so any process scores the same
 * instance the same way, in any batch. Takes `{ entityId, features }` instances with
 * features of any declared type; answers `{ score }`.
 */
import { fnv1a, type FeatureValue, type ModelPrediction, type PredictionInstance } from "../../contract";
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

/** A feature's contribution: numbers weigh their value, a category (string) is one-hot by name=value. */
function contribution(name: string, value: FeatureValue): number {
  if (typeof value === "number") return featureWeight(name) * value;
  if (typeof value === "boolean") return value ? featureWeight(name) : 0;
  if (typeof value === "string") return featureWeight(`${name}=${value}`);
  let sum = 0;
  value.forEach((item, i) => {
    sum +=
      typeof item === "number" ? featureWeight(`${name}[${i}]`) * item : featureWeight(`${name}=${item}`);
  });
  return sum;
}

/** sigmoid(Σ contribution / √n): scaled by √n so scores spread over (0, 1) whatever the feature count. */
export function score(features: Record<string, FeatureValue>): number {
  const names = Object.keys(features).sort(); // a fixed summation order keeps the float result stable
  let z = 0;
  for (const name of names) z += contribution(name, features[name] as FeatureValue);
  return 1 / (1 + Math.exp(-z / Math.sqrt(names.length)));
}

function isFeatureValue(value: JsonValue): value is FeatureValue {
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return true;
  return (
    Array.isArray(value) &&
    (value.every((v) => typeof v === "number") || value.every((v) => typeof v === "string"))
  );
}

/** Numbers in a feature (itself, or the items of a list), for the range check. */
function numbersOf(value: FeatureValue): number[] {
  if (typeof value === "number") return [value];
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === "number") : [];
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
    throw new InvalidInstanceError(index, `(entity "${entityId}") "features" must be an object`);
  }
  const entries = Object.entries(features);
  if (entries.length === 0) {
    throw new InvalidInstanceError(index, `(entity "${entityId}") has no features`);
  }
  const parsed: Record<string, FeatureValue> = {};
  for (const [name, raw] of entries) {
    if (!isFeatureValue(raw)) {
      throw new InvalidInstanceError(
        index,
        `(entity "${entityId}") feature "${name}" must be a number, string, boolean or a list of numbers or of strings, got ${describe(raw)}`,
      );
    }
    for (const value of numbersOf(raw)) {
      if (!Number.isFinite(value)) {
        throw new InvalidInstanceError(
          index,
          `(entity "${entityId}") feature "${name}" must be a finite number, got ${describe(value)}`,
        );
      }
      if (Math.abs(value) > MAX_FEATURE_MAGNITUDE) {
        throw new InvalidInstanceError(
          index,
          `(entity "${entityId}") feature "${name}" = ${value} is out of range (|value| <= ${MAX_FEATURE_MAGNITUDE})`,
        );
      }
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
