/**
 * The model call: a Predictor interface, its Vertex AI implementation, and the check
 * that the model's answer matches the request (count and shape) before anything is used.
 */
// Deep imports: the package index loads every v1 and v1beta1 client (~90 MB RSS, ~1 s);
// the prediction client and the value helpers alone cost ~40 MB.
import type { protos } from "@google-cloud/aiplatform";
import * as helpers from "@google-cloud/aiplatform/build/src/helpers";
import { PredictionServiceClient } from "@google-cloud/aiplatform/build/src/v1/prediction_service_client";
import * as grpc from "@grpc/grpc-js";
import type { ModelPrediction, PredictionInstance } from "../../contract";
import type { VertexApiEndpoint } from "./config";

/** Scores instances; one prediction per instance, in order. */
export interface Predictor {
  predict(instances: readonly PredictionInstance[]): Promise<ModelPrediction[]>;
  close?(): Promise<void>;
}

/** The model answered, but not with one valid prediction per instance. Not retryable. */
export class ModelAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelAnswerError";
  }
}

/** Checks the model's answer: exactly `expected` predictions, each `{ score: number in [0, 1] }`. */
export function validatePredictions(raw: readonly unknown[], expected: number): ModelPrediction[] {
  if (raw.length !== expected) {
    throw new ModelAnswerError(`the model returned ${raw.length} predictions for ${expected} instances`);
  }
  return raw.map((prediction, index) => {
    const score = (prediction as { score?: unknown } | null)?.score;
    if (typeof score !== "number" || !Number.isFinite(score) || score < 0 || score > 1) {
      throw new ModelAnswerError(
        `prediction ${index} is ${JSON.stringify(prediction) ?? String(prediction)}; expected { score: number in [0, 1] }`,
      );
    }
    return { score };
  });
}

export interface VertexPredictorOptions {
  projectId: string;
  location: string;
  endpointId: string;
  api: VertexApiEndpoint;
  timeoutMs: number;
}

type IValue = protos.google.protobuf.IValue;
/** helpers.fromValue is typed with protobufjs' own IValue; the wire shape is the same. */
type HelperValue = Parameters<typeof helpers.fromValue>[0];

/** Calls `PredictionService.Predict` on a Vertex AI endpoint (or a local stand-in). */
export class VertexPredictor implements Predictor {
  private readonly client: PredictionServiceClient;
  private readonly endpoint: string;

  constructor(private readonly options: VertexPredictorOptions) {
    this.client = new PredictionServiceClient(
      options.api.plaintext
        ? {
            apiEndpoint: options.api.host,
            port: options.api.port,
            sslCreds: grpc.credentials.createInsecure(),
          }
        : { apiEndpoint: options.api.host, port: options.api.port },
    );
    this.endpoint = this.client.projectLocationEndpointPath(
      options.projectId,
      options.location,
      options.endpointId,
    );
  }

  async predict(instances: readonly PredictionInstance[]): Promise<ModelPrediction[]> {
    const [response] = await this.client.predict(
      {
        endpoint: this.endpoint,
        instances: instances.map((instance) => helpers.toValue(instance) as IValue),
      },
      // The client never retries Predict (non-idempotent); the worker does, so no gax retry here.
      { timeout: this.options.timeoutMs },
    );
    const predictions = (response.predictions ?? []).map((value) => helpers.fromValue(value as HelperValue));
    return validatePredictions(predictions, instances.length);
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
