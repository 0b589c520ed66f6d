/**
 * The model call: a Predictor interface, its Vertex AI implementation, and the check
 * that the model's answer matches the request (count and shape) before anything is used.
 */
import type { ModelPrediction, PredictionInstance } from "../../contract";
import type { VertexApiEndpoint } from "./config";
import { createTransport } from "./predict/createTransport";
import type { JsonValue, PredictProtocol, PredictTransport } from "./predict/transport";

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
  /** Where gRPC Predict is served (protocol grpc). */
  api: VertexApiEndpoint;
  timeoutMs: number;
  /** The endpoint type's protocol: grpc (default) or http (peering endpoints take only http). */
  protocol?: PredictProtocol;
  /** The predict URL (protocol http). */
  predictUrl?: string;
  /** HTTP connections kept open; defaults to 4. */
  maxConnections?: number;
}

/** Calls Predict on a Vertex AI endpoint (or a local stand-in) over the endpoint type's transport. */
export class VertexPredictor implements Predictor {
  private readonly transport: PredictTransport;

  constructor(
    private readonly options: VertexPredictorOptions,
    transport?: PredictTransport,
  ) {
    this.transport =
      transport ??
      createTransport({
        projectId: options.projectId,
        location: options.location,
        endpointId: options.endpointId,
        protocol: options.protocol ?? "grpc",
        api: options.api,
        predictUrl: options.predictUrl,
        maxConnections: options.maxConnections ?? 4,
      });
  }

  async predict(instances: readonly PredictionInstance[]): Promise<ModelPrediction[]> {
    const predictions = await this.transport.predict(
      instances as unknown as JsonValue[],
      undefined,
      this.options.timeoutMs,
    );
    return validatePredictions(predictions, instances.length);
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
