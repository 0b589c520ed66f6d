/**
 * The model deployment's dynamic resource as other processes see it: its Pulumi type
 * token (the policy pack matches on it) and its input shape (what the provider receives
 * and what a plan shows). The serving component (components/serving/modelDeployment)
 * creates it; policies/ reads it.
 */

/** The dynamic resource's module and type: `pulumi.dynamic.Resource(..., module, type)`. */
export const MODEL_DEPLOYMENT_MODULE = "vertex";
export const MODEL_DEPLOYMENT_KIND = "ModelDeployment";
/** The type token Pulumi gives a dynamic resource: `pulumi-nodejs:dynamic/<module>:<type>`. */
export const MODEL_DEPLOYMENT_TYPE =
  `pulumi-nodejs:dynamic/${MODEL_DEPLOYMENT_MODULE}:${MODEL_DEPLOYMENT_KIND}` as const;
/** The same deployment as the package plugin's custom resource (a program in another Pulumi language). */
export const PACKAGE_MODEL_DEPLOYMENT_TYPE = `streaming-inference:index:${MODEL_DEPLOYMENT_KIND}` as const;
/** Both type tokens a model deployment can have, with the same inputs: policies match either. */
export const MODEL_DEPLOYMENT_TYPES: readonly string[] = [
  MODEL_DEPLOYMENT_TYPE,
  PACKAGE_MODEL_DEPLOYMENT_TYPE,
];

/** Which signal replicas scale on: GPU duty cycle (default) or request count. */
export const AUTOSCALING_METRICS = ["duty-cycle", "request-count"] as const;
export type AutoscalingMetric = (typeof AUTOSCALING_METRICS)[number];

/** The resolved inputs of one model deployment (every Output already known). */
export interface ModelDeploymentInputs {
  /** Project that holds the endpoint and the uploaded model. */
  project: string;
  /** Region of the endpoint (the API host is `<location>-aiplatform.googleapis.com`). */
  location: string;
  /** Endpoint resource name: `projects/<p>/locations/<l>/endpoints/<id>`. */
  endpoint: string;
  displayName: string;
  /** gs:// folder with the model artifact. */
  artifactUri: string;
  servingImage: string;
  predictRoute: string;
  healthRoute: string;
  port: number;
  machineType: string;
  acceleratorType: string;
  acceleratorCount: number;
  minReplicas: number;
  maxReplicas: number;
  /** Target accelerator duty cycle, percent. */
  dutyCycleTarget: number;
  /** Signal replicas scale on. Defaults to duty-cycle. */
  autoscalingMetric?: AutoscalingMetric;
  /** With request-count: the `target` of the request_count metric spec. */
  requestCountTarget?: number;
  /**
   * maxReplicas of a new deployment while the endpoint still holds the old one (a
   * deploy-first model change); the next `pulumi up` raises it to maxReplicas. Unset: maxReplicas.
   */
  switchMaxReplicas?: number;
  /** Cloud KMS key the uploaded model is encrypted with (same region as the endpoint). */
  kmsKeyName: string;
  /** Service account the serving container runs as; Vertex's default when empty. */
  serviceAccount?: string;
  labels?: Record<string, string>;
  operationTimeoutSeconds?: number;
  /**
   * Type of the endpoint: `psc` or `peering`. Decides the serving address the provider
   * reports, and that a peering endpoint (one model, no traffic split) never gets a
   * second model. Unset: neither (an endpoint the caller manages).
   */
  connectivity?: "psc" | "peering";
}
