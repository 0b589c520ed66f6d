/**
 * Defaults of serving: the stack config's `model` and `endpoint` sections and the
 * components (`InferenceEndpoint`, `Observability`'s duty-cycle chart) all apply them.
 */
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
  warmStandby: false,
} as const;
