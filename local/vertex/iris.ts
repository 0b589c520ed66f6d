/**
 * The stand-in Iris classifier (after seed 002's Iris pipeline): an instance is an
 * array of 4 numbers, [sepal length, sepal width, petal length, petal width] in cm, as
 * the prebuilt scikit-learn container takes it; the answer is
 * `{ label, probabilities: { setosa, versicolor, virginica } }`.
 *
 * A Gaussian nearest-centroid model on Fisher's class means: deterministic, and it
 * classifies the class means and typical flowers right ([5.1, 3.5, 1.4, 0.2] is a setosa).
 */
import { InvalidInstanceError } from "./model";
import type { JsonValue } from "./protobufValue";

export const IRIS_CLASSES = ["setosa", "versicolor", "virginica"] as const;
export type IrisClass = (typeof IRIS_CLASSES)[number];

/** The instance's columns, in order (also the declared features of the local iris profile). */
export const IRIS_FEATURES = [
  "sepal_length_cm",
  "sepal_width_cm",
  "petal_length_cm",
  "petal_width_cm",
] as const;

/** Class means of Fisher's Iris data (cm), in IRIS_FEATURES order. */
export const IRIS_CENTROIDS: Record<IrisClass, readonly number[]> = {
  setosa: [5.006, 3.428, 1.462, 0.246],
  versicolor: [5.936, 2.77, 4.26, 1.326],
  virginica: [6.588, 2.974, 5.552, 2.026],
};

/** Largest measurement accepted, cm; larger is "out of range" (INVALID_ARGUMENT). */
export const MAX_IRIS_CM = 100;

/** Spread of the Gaussian around each centroid (cm): sets how sure the model is. */
const SIGMA_CM = 1;

export interface IrisPrediction {
  label: IrisClass;
  probabilities: Record<IrisClass, number>;
}

export function parseIrisInstance(value: JsonValue, index: number): number[] {
  if (!Array.isArray(value) || value.length !== IRIS_FEATURES.length) {
    throw new InvalidInstanceError(
      index,
      `expected an array of ${IRIS_FEATURES.length} numbers [${IRIS_FEATURES.join(", ")}], got ${JSON.stringify(value)}`,
    );
  }
  return value.map((item, column) => {
    if (typeof item !== "number" || !Number.isFinite(item)) {
      throw new InvalidInstanceError(
        index,
        `${IRIS_FEATURES[column]} (column ${column}) must be a finite number, got ${JSON.stringify(item)}`,
      );
    }
    if (item <= 0 || item > MAX_IRIS_CM) {
      throw new InvalidInstanceError(
        index,
        `${IRIS_FEATURES[column]} = ${item} is out of range (0 < cm <= ${MAX_IRIS_CM})`,
      );
    }
    return item;
  });
}

export function classifyIris(measurements: readonly number[]): IrisPrediction {
  const logits = IRIS_CLASSES.map((label) => {
    const centroid = IRIS_CENTROIDS[label];
    let squared = 0;
    measurements.forEach((x, i) => (squared += (x - (centroid[i] ?? 0)) ** 2));
    return -squared / (2 * SIGMA_CM ** 2);
  });
  const top = Math.max(...logits);
  const weights = logits.map((logit) => Math.exp(logit - top)); // shifted: no underflow to 0/0
  const total = weights.reduce((sum, w) => sum + w, 0);
  const probabilities = Object.fromEntries(
    IRIS_CLASSES.map((label, i) => [label, Math.round(((weights[i] ?? 0) / total) * 1e6) / 1e6]),
  ) as Record<IrisClass, number>;
  const best = logits.indexOf(top);
  return { label: IRIS_CLASSES[best] ?? "setosa", probabilities };
}

/** Classifies a whole request; any invalid instance rejects all of it, as Vertex does. */
export function classifyAll(instances: readonly JsonValue[]): IrisPrediction[] {
  return instances.map(parseIrisInstance).map(classifyIris);
}
