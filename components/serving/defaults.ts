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

export const ENDPOINT_DEFAULTS = {
  /** Private Service Connect: gRPC or HTTP, traffic split, many models. */
  connectivity: "psc",
  warmStandby: false,
} as const;
