/**
 * The schema of `streaming-inference:index:ModelDeployment`, the custom resource the plugin
 * serves (Pulumi package schema, "resources" section: inputProperties/requiredInputs for what
 * the program sets, properties/required for the state the provider returns). Every input of
 * the one model type (`ModelDeploymentInputs`) is described once; a missing one is a type error,
 * and test/components/packagePlugin/modelDeploymentSchema.test.ts keeps the required ones and
 * the in-place/replace notes in step with spec.ts.
 */
import type { ModelDeploymentInputs } from "../../contract/modelDeployment";
import { MODEL_FIELDS, type ModelDeploymentOutputs } from "../serving/modelDeployment/spec";

export interface PropertySpec {
  type: "string" | "integer" | "number" | "object";
  description: string;
  additionalProperties?: { type: "string" };
  /** Schema `willReplaceOnChanges`: a change replaces the deployment (SDK docs and previews say so). */
  willReplaceOnChanges?: boolean;
}

export interface ResourceSpec {
  description: string;
  properties: Record<string, PropertySpec>;
  required: string[];
  inputProperties: Record<string, PropertySpec>;
  requiredInputs: string[];
}

const str = (description: string): PropertySpec => ({ type: "string", description });
const int = (description: string): PropertySpec => ({ type: "integer", description });

/** Each input; `willReplaceOnChanges` is set from spec.ts's MODEL_FIELDS by `modelDeploymentSchema`. */
export const MODEL_DEPLOYMENT_INPUTS = {
  project: str("Project that holds the endpoint and the uploaded model."),
  location: str("Region of the endpoint; the model is uploaded to the same region."),
  endpoint: str("Endpoint resource name, `projects/<p>/locations/<l>/endpoints/<id>` (an AiEndpoint's id)."),
  displayName: str("Display name of the model and of the deployed model."),
  artifactUri: str("gs:// folder with the model artifact."),
  servingImage: str("Serving container image."),
  predictRoute: str("HTTP route of predictions in the serving container, e.g. `/predict`."),
  healthRoute: str("HTTP route of health checks in the serving container, e.g. `/health`."),
  port: int("Port the serving container listens on."),
  machineType: str("GPU machine type, e.g. `g2-standard-8`."),
  acceleratorType: str("Accelerator type as Vertex AI names it, e.g. `NVIDIA_L4`."),
  acceleratorCount: int("Accelerators per replica."),
  minReplicas: int("Replicas always running. Changed in place (MutateDeployedModel)."),
  maxReplicas: int("Autoscaling ceiling. Changed in place (MutateDeployedModel)."),
  dutyCycleTarget: int("Target accelerator duty cycle (percent, 1-100) autoscaling keeps replicas at."),
  autoscalingMetric: str('Signal replicas scale on: "duty-cycle" (default) or "request-count".'),
  requestCountTarget: int('Target of the request_count metric, with autoscalingMetric "request-count".'),
  kmsKeyName: str("Cloud KMS key (in `location`) the uploaded model is encrypted with."),
  serviceAccount: str("Service account the serving container runs as. Defaults to Vertex AI's."),
  labels: {
    type: "object",
    additionalProperties: { type: "string" },
    description: "Labels on the uploaded model. Changed in place.",
  },
  operationTimeoutSeconds: int(
    "How long to wait for each Vertex AI long-running operation, seconds (default 3600).",
  ),
  switchMaxReplicas: int(
    "Caps a new deployment's maxReplicas while it shares the endpoint with the model it replaces (a deploy-first " +
      "roll-out holds both, and Vertex counts maxReplicas x GPUs of quota for each); the next update raises it.",
  ),
  connectivity: str(
    "The endpoint's type, `psc` or `peering`: the provider then reports the serving address, and refuses " +
      "a second model on a peering endpoint. Unset for an endpoint managed elsewhere.",
  ),
} as const satisfies Record<keyof ModelDeploymentInputs, PropertySpec>;

/** What the provider adds to the inputs in its state. */
const COMPUTED = {
  model: str("Uploaded model: `projects/<p>/locations/<l>/models/<id>`."),
  modelVersionId: str("Version id of the uploaded model."),
  deployedModelId: str("Id of the DeployedModel on the endpoint (the key of the endpoint's traffic split)."),
  predictHttpUri: str("Peering endpoints: the deployed model's private predict URI (HTTP only)."),
  pscAddress: str("PSC endpoints: the IP address of the endpoint's PSC forwarding rule in the VPC."),
} as const satisfies Record<Exclude<keyof ModelDeploymentOutputs, keyof ModelDeploymentInputs>, PropertySpec>;

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/** The inputs a program must set: the non-optional fields of `ModelDeploymentInputs`. */
export const REQUIRED_INPUTS = [
  "project",
  "location",
  "endpoint",
  "displayName",
  "artifactUri",
  "servingImage",
  "predictRoute",
  "healthRoute",
  "port",
  "machineType",
  "acceleratorType",
  "acceleratorCount",
  "minReplicas",
  "maxReplicas",
  "dutyCycleTarget",
  "kmsKeyName",
] as const;
// Compile time: the list is exactly the required keys of the type.
const requiredMatch: [
  Exclude<RequiredKeys<ModelDeploymentInputs>, (typeof REQUIRED_INPUTS)[number]>,
  Exclude<(typeof REQUIRED_INPUTS)[number], RequiredKeys<ModelDeploymentInputs>>,
] extends [never, never]
  ? true
  : false = true;
void requiredMatch;

/** The resource as the schema describes it; replacements as spec.ts's MODEL_FIELDS decides them. */
export function modelDeploymentSchema(): ResourceSpec {
  const replacing = Object.entries(MODEL_FIELDS)
    .filter(([, rule]) => rule.change === "replace")
    .map(([key]) => key);
  const requiredInputs = [...REQUIRED_INPUTS];
  const inputProperties = Object.fromEntries(
    Object.entries(MODEL_DEPLOYMENT_INPUTS).map(([key, spec]) => [
      key,
      replacing.includes(key) ? { ...spec, willReplaceOnChanges: true } : { ...spec },
    ]),
  );
  return {
    description:
      "A custom model uploaded to Vertex AI and deployed on GPUs to an endpoint. Replica and autoscaling " +
      "changes are made in place; any other change deploys a new model first, moves the traffic, then " +
      "undeploys the old one.",
    inputProperties,
    requiredInputs,
    properties: { ...inputProperties, ...COMPUTED },
    required: [...requiredInputs, "model", "modelVersionId", "deployedModelId"],
  };
}
