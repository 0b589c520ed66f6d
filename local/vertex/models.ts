/**
 * The models the Vertex stand-in can host, as model logic apart from serving: each takes
 * a whole request's instances (and its `parameters`) and answers one prediction per
 * instance, or throws `InvalidInstanceError` (INVALID_ARGUMENT) naming the instance.
 */
import { classifyAll } from "./iris";
import { predictAll } from "./model";
import type { JsonValue } from "./protobufValue";

export interface StandInModel {
  /** Reported as `deployedModelId` in every response. */
  deployedModelId: string;
  /** Reported as `modelDisplayName`. */
  displayName: string;
  predict(instances: readonly JsonValue[], parameters: JsonValue | undefined): JsonValue[];
}

export const STAND_IN_MODELS = {
  /** `{ entityId, features }` in, `{ score }` out: today's contract. */
  scorer: {
    deployedModelId: "local-logistic-v1",
    displayName: "streaming-inference local stand-in (logistic)",
    predict: (instances) => predictAll(instances).map((prediction) => ({ score: prediction.score })),
  },
  /** `[4 numbers]` in, `{ label, probabilities }` out (seed 002's Iris model). */
  iris: {
    deployedModelId: "local-iris-v1",
    displayName: "streaming-inference local stand-in (iris classifier)",
    predict: (instances) =>
      classifyAll(instances).map((p) => ({ label: p.label, probabilities: { ...p.probabilities } })),
  },
} as const satisfies Record<string, StandInModel>;

export type StandInModelName = keyof typeof STAND_IN_MODELS;
export const STAND_IN_MODEL_NAMES = Object.keys(STAND_IN_MODELS) as StandInModelName[];
