/**
 * The models the local platform can run end to end (`npm start -- --model scorer|iris`):
 * for each, the stand-in model that serves it, what the worker is told about it (its
 * features, instance shape and output spec, as a stack would declare them), the rows
 * seeded in Bigtable, and the inline features the load generator sends.
 */
import type { FeatureValue, ModelIoSpec, PredictionInstance } from "../contract";
import { DEFAULT_MODEL_IO } from "../contract";
import { syntheticEntities, entityId } from "./provision/features";
import { IRIS_CENTROIDS, IRIS_CLASSES, IRIS_FEATURES } from "./vertex/iris";
import type { StandInModelName } from "./vertex/models";
import { seededRandom } from "./vertex/settings";
import { LOCAL_MODEL_ID } from "./worker/spawnWorker";

export interface LocalModelProfile {
  /** The stand-in model that serves it. */
  model: StandInModelName;
  /** Model id the worker stamps on predictions. */
  modelId: string;
  /** What the worker is told (today's contract for the scorer). */
  modelIo: ModelIoSpec;
  /** `count` entities with their stored features (deterministic). */
  entities(count: number): PredictionInstance[];
  /** An inline feature some valid events carry (it overrides the stored one). */
  inlineFeature: { name: string; value: FeatureValue };
  /** An inline feature the model refuses (the "out-of-range" poison kind). */
  outOfRangeFeature: { name: string; value: FeatureValue };
}

/** `count` flowers: a class per entity in turn, measurements spread around its class mean. */
export function irisEntities(count: number, seed = 7): PredictionInstance[] {
  const random = seededRandom(seed);
  const entities: PredictionInstance[] = [];
  for (let i = 0; i < count; i++) {
    const centroid = IRIS_CENTROIDS[IRIS_CLASSES[i % IRIS_CLASSES.length]!];
    const features: Record<string, FeatureValue> = {};
    IRIS_FEATURES.forEach((name, column) => {
      const value = (centroid[column] ?? 1) + (random() - 0.5) * 0.6;
      features[name] = Math.max(0.1, Math.round(value * 10) / 10);
    });
    entities.push({ entityId: entityId(i), features });
  }
  return entities;
}

export const LOCAL_MODEL_PROFILES: Record<StandInModelName, LocalModelProfile> = {
  scorer: {
    model: "scorer",
    modelId: LOCAL_MODEL_ID,
    modelIo: DEFAULT_MODEL_IO,
    entities: (count) => syntheticEntities(count),
    inlineFeature: { name: "discount_share", value: 0.25 },
    outOfRangeFeature: { name: "monetary_30d", value: 5e6 },
  },
  iris: {
    model: "iris",
    modelId: "local-iris-v1",
    modelIo: {
      // As the prebuilt scikit-learn container takes them: 4 numbers, in this order.
      features: IRIS_FEATURES.map((name) => ({ name, type: "number", source: "either", required: true })),
      instanceShape: "array",
      output: { labelField: "label" },
    },
    entities: (count) => irisEntities(count),
    inlineFeature: { name: "petal_width_cm", value: 1.8 },
    outOfRangeFeature: { name: "petal_length_cm", value: 5e6 },
  },
};
