/**
 * How the worker reaches the model on each endpoint type, as values built from the
 * deployment's outputs (never hand-built hostnames):
 * - `psc`: at the PSC forwarding rule's address in the VPC, port 443: JSON over HTTP at
 *   `/v1/<endpoint name>:predict` (the default), or gRPC `PredictionService.Predict` carrying
 *   `x-vertex-ai-endpoint-id` (Vertex docs, "Use dedicated private endpoints based on Private
 *   Service Connect": "For gRPC requests, the x-vertex-ai-endpoint-id header must be included").
 * - `peering`: JSON over HTTP at the deployed model's `predictHttpUri` (aiplatform v1
 *   `endpoint.proto` PrivateEndpoints); a peering endpoint takes no gRPC.
 */
import { createHash } from "node:crypto";
import type { ServedModel } from "./modelDeployment";

/**
 * The protocols the worker speaks. An `as const` object rather than a bare union: the
 * form Pulumi's schema analyzer turns into an enum for other languages.
 */
export const PredictProtocol = { Grpc: "grpc", Http: "http" } as const;
export type PredictProtocol = (typeof PredictProtocol)[keyof typeof PredictProtocol];

/** The port the worker's gRPC calls use on a PSC address (TLS, like the public API). */
export const PSC_GRPC_PORT = 443;

/** `host:port` of gRPC Predict on a PSC address. */
export function pscGrpcAddress(ip: string): string {
  return `${ip}:${PSC_GRPC_PORT}`;
}

/** The HTTP predict URL on a PSC address, for the endpoint `projects/P/locations/L/endpoints/E`. */
export function pscHttpPredictUrl(ip: string, endpointName: string): string {
  return `https://${ip}/v1/${endpointName}:predict`;
}

/** The model inputs whose change means a new model (the provider's replacement keys). */
export const MODEL_REVISION_KEYS = [
  "displayName",
  "artifactUri",
  "servingImage",
  "predictRoute",
  "healthRoute",
  "port",
  "machineType",
  "acceleratorType",
  "acceleratorCount",
] as const satisfies readonly (keyof ServedModel)[];

export type ModelRevisionInputs = Record<(typeof MODEL_REVISION_KEYS)[number], string | number>;

/**
 * A short, stable digest of what makes a model a new model. A peering endpoint holds
 * one model, so its id carries this digest: a new model gets a new endpoint beside the
 * old one, the worker is switched to it, and the old endpoint goes last.
 */
export function modelRevision(model: ModelRevisionInputs): string {
  const canonical = JSON.stringify(MODEL_REVISION_KEYS.map((key) => [key, model[key]]));
  return createHash("sha256").update(canonical).digest("hex").slice(0, 8);
}
