/**
 * How a predict request reaches the model: the wire protocol is a transport, the
 * validation of the answer stays in `predictor.ts`. Plain JSON in and out, so the
 * predictor does not care whether the endpoint took gRPC or HTTP.
 *
 * Which transport an endpoint takes (aiplatform v1 `endpoint.proto`, Vertex docs
 * "Use private endpoints for online prediction" and "Use dedicated private endpoints
 * based on Private Service Connect"):
 * - VPC-peering private endpoint: HTTP only, JSON at the deployed model's
 *   `privateEndpoints.predictHttpUri`; the public gRPC API does not serve it.
 * - Private Service Connect endpoint: gRPC (with the `x-vertex-ai-endpoint-id` header)
 *   or HTTP, at the PSC address in the consumer VPC.
 */
import type { JsonValue } from "../../../contract";

export type { JsonValue };

/** The wire protocols a Vertex endpoint can take. */
export const PREDICT_PROTOCOLS = ["grpc", "http"] as const;
export type PredictProtocol = (typeof PREDICT_PROTOCOLS)[number];

export interface PredictTransport {
  /**
   * One Predict call: `instances` (and optional `parameters`) in, the `predictions`
   * array out, unchanged. Rejects with an error carrying a gRPC status `code`
   * (UNAVAILABLE, INVALID_ARGUMENT, DEADLINE_EXCEEDED, ...) so the retry rules are the
   * same for every transport.
   */
  predict(
    instances: readonly JsonValue[],
    parameters: JsonValue | undefined,
    timeoutMs: number,
  ): Promise<JsonValue[]>;
  close(): Promise<void>;
}
