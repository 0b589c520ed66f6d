/**
 * The model call: a Predictor interface and its Vertex AI implementation. Instances and
 * predictions are plain JSON; building the one and checking the other is the payload's
 * business (`instances.ts`, `predictionSpec.ts`).
 */
// Deep imports: the package index loads every v1 and v1beta1 client (~90 MB RSS, ~1 s);
// the prediction client and the value helpers alone cost ~40 MB.
import type { protos } from "@google-cloud/aiplatform";
import * as helpers from "@google-cloud/aiplatform/build/src/helpers";
import { googleProtobufValueToObject } from "@google-cloud/aiplatform/build/src/value-converter";
import { PredictionServiceClient } from "@google-cloud/aiplatform/build/src/v1/prediction_service_client";
import * as grpc from "@grpc/grpc-js";
import type { JsonObject, JsonValue } from "../../contract";
import type { VertexApiEndpoint } from "./config";

export { ModelAnswerError, validatePredictions } from "./predictionSpec";

/** Sends instances to the model; resolves with its predictions as they came (checked by the caller). */
export interface Predictor {
  predict(instances: readonly JsonValue[]): Promise<JsonValue[]>;
  close?(): Promise<void>;
}

export interface VertexPredictorOptions {
  projectId: string;
  location: string;
  endpointId: string;
  api: VertexApiEndpoint;
  timeoutMs: number;
  /** The request's `parameters` (same for every call), if the model takes any. */
  parameters?: JsonObject;
}

type IValue = protos.google.protobuf.IValue;
/** The converter is typed with protobufjs' own IValue; the wire shape is the same. */
type ConverterValue = Parameters<typeof googleProtobufValueToObject>[0];

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

  async predict(instances: readonly JsonValue[]): Promise<JsonValue[]> {
    const { parameters } = this.options;
    const [response] = await this.client.predict(
      {
        endpoint: this.endpoint,
        // helpers.toValue converts any JSON value (it is typed for objects only).
        instances: instances.map((instance) => helpers.toValue(instance as object) as IValue),
        ...(parameters === undefined ? {} : { parameters: helpers.toValue(parameters) as IValue }),
      },
      // The client never retries Predict (non-idempotent); the worker does, so no gax retry here.
      { timeout: this.options.timeoutMs },
    );
    // Not helpers.fromValue: it throws on anything but a struct, and a prediction may be any
    // JSON value (a number, a list of class scores, a string).
    return (response.predictions ?? []).map(
      (value) => (googleProtobufValueToObject(value as ConverterValue) ?? null) as JsonValue,
    );
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
