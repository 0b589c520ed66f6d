/**
 * Defaults of serving: the stack config's `model` and `endpoint` sections and the
 * components (`InferenceEndpoint`, `Observability`'s duty-cycle chart) all apply them.
 */
import { PredictProtocol } from "./endpointAccess";

export const MODEL_DEFAULTS = {
  displayName: "scorer",
  predictRoute: "/predict",
  healthRoute: "/health",
  port: 8080,
  acceleratorCount: 1,
  /** Target accelerator duty cycle for autoscaling, percent. */
  dutyCycleTarget: 60,
  autoscalingMetric: "duty-cycle",
} as const;

/**
 * How a private endpoint is reached. An `as const` object rather than a bare union: the
 * form Pulumi's schema analyzer turns into an enum for other languages.
 */
export const EndpointConnectivity = { Peering: "peering", Psc: "psc" } as const;
export type EndpointConnectivity = (typeof EndpointConnectivity)[keyof typeof EndpointConnectivity];

export const ENDPOINT_DEFAULTS = {
  /** Private Service Connect: gRPC or HTTP, traffic split, many models. */
  connectivity: EndpointConnectivity.Psc,
  /**
   * JSON over HTTP on PSC too: the instances are JSON already, and the gRPC client's protobuf
   * `Value` conversion and its loaded protos cost the worker ~0.3 ms CPU per message and ~100 MB
   * RSS (issue 15, same-run bench: docs/performance.md). Peering takes HTTP only.
   */
  predictProtocol: PredictProtocol.Http,
  warmStandby: false,
} as const;
