/**
 * The model call: a Predictor interface and its Vertex AI implementation. Instances and
 * predictions are plain JSON; building the one and checking the other is the payload's
 * business (`instances.ts`, `predictionSpec.ts`), and the wire protocol is the endpoint
 * type's transport (`predict/`).
 */
import type { JsonObject, JsonValue } from "../../contract";
import type { VertexApiEndpoint } from "./config";
import { createTransport, type TransportSettings } from "./predict/createTransport";
import type { PredictProtocol, PredictTransport } from "./predict/transport";

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
  /** Where gRPC Predict is served (protocol grpc). */
  api: VertexApiEndpoint;
  timeoutMs: number;
  /** The request's `parameters` (same for every call), if the model takes any. */
  parameters?: JsonObject;
  /** The endpoint type's protocol: grpc (default) or http (peering endpoints take only http). */
  protocol?: PredictProtocol;
  /** The predict URL (protocol http). */
  predictUrl?: string;
  /** HTTP connections kept open; defaults to 4. */
  maxConnections?: number;
  /** TLS and name resolution for a PSC endpoint's name (predict/pscTls.ts). */
  psc?: TransportSettings["psc"];
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
        psc: options.psc,
      });
  }

  predict(instances: readonly JsonValue[]): Promise<JsonValue[]> {
    return this.transport.predict(instances, this.options.parameters, this.options.timeoutMs);
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
