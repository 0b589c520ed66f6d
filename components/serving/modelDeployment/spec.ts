/**
 * What a model deployment is, as plain data: the inputs the dynamic provider receives,
 * their validation, which changes are updates and which are replacements, and the
 * Vertex AI requests built from them. Pure functions, so each rule is tested on its own.
 */
import type { protos } from "@google-cloud/aiplatform";
import { unknownValue } from "@pulumi/pulumi/runtime";
import {
  AUTOSCALING_METRICS,
  type AutoscalingMetric,
  type ModelDeploymentInputs,
} from "../../../contract/modelDeployment";

type v1 = typeof protos.google.cloud.aiplatform.v1;
export type UploadModelRequest = protos.google.cloud.aiplatform.v1.IUploadModelRequest;
export type DeployModelRequest = protos.google.cloud.aiplatform.v1.IDeployModelRequest;
export type MutateDeployedModelRequest = protos.google.cloud.aiplatform.v1.IMutateDeployedModelRequest;
export type DedicatedResources = protos.google.cloud.aiplatform.v1.IDedicatedResources;
/** Keeps the generated enum name type without importing the runtime module here. */
export type AcceleratorTypeName = keyof v1["AcceleratorType"];

/** Metric Vertex AI autoscales GPU replicas on. */
export const DUTY_CYCLE_METRIC = "aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle";

/**
 * The other signal Vertex AI can autoscale a custom model's replicas on: prediction
 * requests (aiplatform v1 machine_resources.proto, AutoscalingMetricSpec.metric_name:
 * duty_cycle, cpu/utilization, request_count). docs/scaling.md says when to choose which.
 */
export const REQUEST_COUNT_METRIC = "aiplatform.googleapis.com/prediction/online/request_count";

// The input shape and the type token are a contract with the policy pack (contract/modelDeployment.ts).
export { AUTOSCALING_METRICS, type AutoscalingMetric, type ModelDeploymentInputs };

/** Default wait for one long-running operation: GPU deployments often take 15-30 minutes. */
export const DEFAULT_OPERATION_TIMEOUT_SECONDS = 3600;

/** What the provider records after a create or update. */
export interface ModelDeploymentOutputs extends ModelDeploymentInputs {
  /** Uploaded model: `projects/<p>/locations/<l>/models/<id>`. */
  model: string;
  modelVersionId: string;
  /** Id of the DeployedModel on the endpoint (the traffic-split key). */
  deployedModelId: string;
  /** Peering: the deployed model's private predict URI (HTTP only). */
  predictHttpUri?: string;
  /** PSC: the IP address of the endpoint's PSC forwarding rule in the VPC. */
  pscAddress?: string;
}

/**
 * How a change to an input is applied: `scaling` through MutateDeployedModel, `in-place`
 * without touching the deployed model (labels through UpdateModel, the provider's own
 * timeout), `replace` by a new upload and deployment.
 */
type FieldChange = "replace" | "in-place" | "scaling";

interface FieldRule {
  change: FieldChange;
  /** Checked by `validateInputs`: a non-empty string, or a positive integer. */
  required?: "string" | "positive-int";
}

/**
 * Every input of a model deployment, once: how a change to it is applied and what it must
 * hold. `satisfies Record<keyof ModelDeploymentInputs, ...>` makes an input missing here a
 * type error, so no input escapes the diff. The key lists below follow from it.
 */
export const MODEL_FIELDS = {
  project: { change: "replace", required: "string" },
  location: { change: "replace", required: "string" },
  endpoint: { change: "replace", required: "string" },
  displayName: { change: "replace", required: "string" },
  artifactUri: { change: "replace", required: "string" },
  servingImage: { change: "replace", required: "string" },
  predictRoute: { change: "replace", required: "string" },
  healthRoute: { change: "replace", required: "string" },
  port: { change: "replace", required: "positive-int" },
  machineType: { change: "replace", required: "string" },
  acceleratorType: { change: "replace", required: "string" },
  acceleratorCount: { change: "replace", required: "positive-int" },
  minReplicas: { change: "scaling", required: "positive-int" },
  maxReplicas: { change: "scaling", required: "positive-int" },
  dutyCycleTarget: { change: "scaling" },
  autoscalingMetric: { change: "scaling" },
  requestCountTarget: { change: "scaling" },
  switchMaxReplicas: { change: "scaling" },
  kmsKeyName: { change: "replace", required: "string" },
  serviceAccount: { change: "replace" },
  labels: { change: "in-place" },
  operationTimeoutSeconds: { change: "in-place" },
  connectivity: { change: "replace" },
} as const satisfies Record<keyof ModelDeploymentInputs, FieldRule>;

type ModelField = keyof typeof MODEL_FIELDS;
type FieldsWhere<R> = { [K in ModelField]: (typeof MODEL_FIELDS)[K] extends R ? K : never }[ModelField];

// Arrays, not Sets: the provider is serialised with its closure, and Pulumi's closure
// serialiser does not carry a Set's contents across (test/serving/serialisation.test.ts).
function fieldsWhere<R extends Partial<FieldRule>>(rule: R): FieldsWhere<R>[] {
  return (Object.keys(MODEL_FIELDS) as ModelField[]).filter((key) =>
    Object.entries(rule).every(([k, v]) => (MODEL_FIELDS[key] as FieldRule)[k as keyof FieldRule] === v),
  ) as FieldsWhere<R>[];
}

/** Every input key the diff compares; anything not changeable in place forces a replacement. */
export const INPUT_KEYS: readonly (keyof ModelDeploymentInputs)[] = Object.keys(MODEL_FIELDS) as ModelField[];

/** Inputs changed in place: replica bounds and autoscaling through MutateDeployedModel. */
export const SCALING_KEYS: readonly FieldsWhere<{ change: "scaling" }>[] = fieldsWhere({ change: "scaling" });
/** Inputs changed without a replacement: the scaling ones, labels through UpdateModel, the provider's timeout. */
const IN_PLACE_KEYS: readonly string[] = INPUT_KEYS.filter((k) => MODEL_FIELDS[k].change !== "replace");

const REQUIRED_STRINGS = fieldsWhere({ required: "string" });
const POSITIVE_INTS = fieldsWhere({ required: "positive-int" });

export interface InputProblem {
  property: string;
  reason: string;
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v > 0;
}

/**
 * Checks raw inputs; every problem names the property and the fix. During a preview an
 * input not yet known (an endpoint still to be created) arrives as Pulumi's unknown
 * sentinel and is left to the check at deployment time.
 */
export function validateInputs(input: Record<string, unknown>): InputProblem[] {
  const raw = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== unknownValue));
  const problems: InputProblem[] = [];
  for (const key of REQUIRED_STRINGS) {
    if (input[key] === unknownValue) continue;
    const v = raw[key];
    if (typeof v !== "string" || v.length === 0) {
      problems.push({ property: key, reason: `${key} is required and must be a non-empty string` });
    }
  }
  for (const key of POSITIVE_INTS) {
    if (input[key] === unknownValue) continue;
    if (!isPositiveInt(raw[key])) {
      problems.push({
        property: key,
        reason: `${key} must be a positive integer, got ${JSON.stringify(raw[key])}`,
      });
    }
  }
  const duty = raw.dutyCycleTarget;
  if (
    input.dutyCycleTarget !== unknownValue &&
    (typeof duty !== "number" || !Number.isInteger(duty) || duty < 1 || duty > 100)
  ) {
    problems.push({
      property: "dutyCycleTarget",
      reason: `dutyCycleTarget must be an integer percentage in 1..100, got ${JSON.stringify(duty)}`,
    });
  }
  const metric = raw.autoscalingMetric;
  if (metric !== undefined && !(AUTOSCALING_METRICS as readonly unknown[]).includes(metric)) {
    problems.push({
      property: "autoscalingMetric",
      reason: `autoscalingMetric must be one of ${AUTOSCALING_METRICS.join(", ")}, got ${JSON.stringify(metric)}`,
    });
  }
  if (
    metric === "request-count" &&
    input.requestCountTarget !== unknownValue &&
    !isPositiveInt(raw.requestCountTarget)
  ) {
    problems.push({
      property: "requestCountTarget",
      reason: `requestCountTarget must be a positive integer with autoscalingMetric request-count, got ${JSON.stringify(raw.requestCountTarget)}`,
    });
  }
  if (isPositiveInt(raw.minReplicas) && isPositiveInt(raw.maxReplicas) && raw.minReplicas > raw.maxReplicas) {
    problems.push({
      property: "minReplicas",
      reason: `minReplicas (${raw.minReplicas}) must not exceed maxReplicas (${raw.maxReplicas})`,
    });
  }
  const cap = raw.switchMaxReplicas;
  if (cap !== undefined && input.switchMaxReplicas !== unknownValue) {
    if (!isPositiveInt(cap)) {
      problems.push({
        property: "switchMaxReplicas",
        reason: `switchMaxReplicas must be a positive integer, got ${JSON.stringify(cap)}`,
      });
    } else if (
      isPositiveInt(raw.minReplicas) &&
      isPositiveInt(raw.maxReplicas) &&
      (cap < raw.minReplicas || cap > raw.maxReplicas)
    ) {
      problems.push({
        property: "switchMaxReplicas",
        reason: `switchMaxReplicas (${cap}) must be within minReplicas..maxReplicas (${raw.minReplicas}..${raw.maxReplicas})`,
      });
    }
  }
  const endpoint = raw.endpoint;
  if (typeof endpoint === "string" && endpoint.length > 0) {
    const m = /^projects\/[^/]+\/locations\/([^/]+)\/endpoints\/[^/]+$/.exec(endpoint);
    if (!m) {
      problems.push({
        property: "endpoint",
        reason: `endpoint must be a resource name projects/<project>/locations/<region>/endpoints/<id>, got "${endpoint}"`,
      });
    } else if (typeof raw.location === "string" && m[1] !== raw.location) {
      problems.push({
        property: "endpoint",
        reason: `endpoint is in ${m[1]} but location is ${raw.location}; a model deploys in its endpoint's region`,
      });
    }
  }
  if (typeof raw.artifactUri === "string" && raw.artifactUri && !raw.artifactUri.startsWith("gs://")) {
    problems.push({
      property: "artifactUri",
      reason: `artifactUri must be a gs:// URI, got "${raw.artifactUri}"`,
    });
  }
  if (raw.connectivity !== undefined && raw.connectivity !== "psc" && raw.connectivity !== "peering") {
    problems.push({
      property: "connectivity",
      reason: `connectivity must be "psc" or "peering", got ${JSON.stringify(raw.connectivity)}`,
    });
  }
  const timeout = raw.operationTimeoutSeconds;
  if (timeout !== undefined && !isPositiveInt(timeout)) {
    problems.push({
      property: "operationTimeoutSeconds",
      reason: `operationTimeoutSeconds must be a positive integer, got ${JSON.stringify(timeout)}`,
    });
  }
  return problems;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export interface DeploymentDiff {
  changed: (keyof ModelDeploymentInputs)[];
  /** Changed keys that need a new model upload and deployment. */
  replaces: (keyof ModelDeploymentInputs)[];
}

/**
 * Vertex charges GPU quota for a deployed model at `max_replica_count x GPUs per replica`
 * (DeployedModel.dedicated_resources.max_replica_count; magic-modules mmv1/products/
 * vertexai/Endpoint.yaml, "impacts the charge against Vertex CPU and GPU quotas"). A model
 * change deploys the new model before it undeploys the old one, so for a while the
 * endpoint holds both.
 */
export interface GpuQuota {
  acceleratorType: string;
  location: string;
  /** GPUs the deployment holds once alone on the endpoint. */
  steady: number;
  /** maxReplicas of the new deployment while the old one is still there. */
  switchMaxReplicas: number;
  /** GPUs both deployments hold during a model change (old at its maxReplicas, new at switchMaxReplicas). */
  duringChange: number;
}

/** maxReplicas a new deployment gets beside an old one: the cap, within [minReplicas, maxReplicas]. */
export function switchMaxReplicasOf(
  i: Pick<ModelDeploymentInputs, "minReplicas" | "maxReplicas" | "switchMaxReplicas">,
): number {
  return Math.min(i.maxReplicas, Math.max(i.minReplicas, i.switchMaxReplicas ?? i.maxReplicas));
}

/** The GPU quota of `news`, and of a change from `olds` (today's settings when there are none). */
export function gpuQuota(news: ModelDeploymentInputs, olds?: Partial<ModelDeploymentInputs>): GpuQuota {
  const oldMax = olds?.maxReplicas ?? news.maxReplicas;
  const oldCount = olds?.acceleratorCount ?? news.acceleratorCount;
  const switchMax = switchMaxReplicasOf(news);
  return {
    acceleratorType: news.acceleratorType,
    location: news.location,
    steady: news.maxReplicas * news.acceleratorCount,
    switchMaxReplicas: switchMax,
    duringChange: oldMax * oldCount + switchMax * news.acceleratorCount,
  };
}

/** One line for a preview: what the deployment holds, and what a model change needs. */
export function gpuQuotaStatement(q: GpuQuota): string {
  const capped =
    q.duringChange < 2 * q.steady
      ? ` (new deployment capped at ${q.switchMaxReplicas} replicas until the next \`pulumi up\`)`
      : "";
  return (
    `GPU quota: ${q.steady} ${q.acceleratorType} in ${q.location} (maxReplicas x GPUs); a model change ` +
    `deploys the new model before undeploying the old, and needs ${q.duringChange}${capped}`
  );
}

/** Which inputs changed, and which of those force a replacement. */
export function diffInputs(
  olds: Partial<ModelDeploymentInputs>,
  news: Partial<ModelDeploymentInputs>,
): DeploymentDiff {
  const changed = INPUT_KEYS.filter((k) => !same(olds[k], news[k]));
  return { changed, replaces: changed.filter((k) => !IN_PLACE_KEYS.includes(k)) };
}

export function dedicatedResources(i: ModelDeploymentInputs): DedicatedResources {
  return {
    machineSpec: {
      machineType: i.machineType,
      acceleratorType: i.acceleratorType as AcceleratorTypeName,
      acceleratorCount: i.acceleratorCount,
    },
    minReplicaCount: i.minReplicas,
    maxReplicaCount: i.maxReplicas,
    autoscalingMetricSpecs: [
      i.autoscalingMetric === "request-count"
        ? { metricName: REQUEST_COUNT_METRIC, target: i.requestCountTarget }
        : { metricName: DUTY_CYCLE_METRIC, target: i.dutyCycleTarget },
    ],
  };
}

export function uploadModelRequest(i: ModelDeploymentInputs): UploadModelRequest {
  return {
    parent: `projects/${i.project}/locations/${i.location}`,
    model: {
      displayName: i.displayName,
      artifactUri: i.artifactUri,
      containerSpec: {
        imageUri: i.servingImage,
        predictRoute: i.predictRoute,
        healthRoute: i.healthRoute,
        ports: [{ containerPort: i.port }],
      },
      encryptionSpec: { kmsKeyName: i.kmsKeyName },
      labels: i.labels ?? {},
    },
  };
}

/** Deploys `model` and sends it all traffic ("0" names the model being deployed). */
export function deployModelRequest(i: ModelDeploymentInputs, model: string): DeployModelRequest {
  return {
    endpoint: i.endpoint,
    deployedModel: {
      model,
      displayName: i.displayName,
      dedicatedResources: dedicatedResources(i),
      ...(i.serviceAccount ? { serviceAccount: i.serviceAccount } : {}),
    },
    trafficSplit: { "0": 100 },
  };
}

export function mutateScalingRequest(
  i: ModelDeploymentInputs,
  deployedModelId: string,
): MutateDeployedModelRequest {
  return {
    endpoint: i.endpoint,
    deployedModel: { id: deployedModelId, dedicatedResources: dedicatedResources(i) },
    updateMask: {
      paths: [
        "dedicated_resources.min_replica_count",
        "dedicated_resources.max_replica_count",
        "dedicated_resources.autoscaling_metric_specs",
      ],
    },
  };
}

/**
 * The endpoint's traffic split once `deployedModelId` is gone: its share is handed to the
 * remaining models in proportion to theirs (integer percentages summing to 100), so
 * UndeployModel never leaves traffic pointing at a model that no longer exists.
 */
export function trafficSplitWithout(
  current: Record<string, number>,
  deployedModelId: string,
): Record<string, number> {
  const rest = Object.entries(current).filter(([id]) => id !== deployedModelId);
  if (rest.length === 0) return {};
  const total = rest.reduce((sum, [, pct]) => sum + pct, 0);
  const shares = rest.map(([id, pct]) => ({
    id,
    exact: total > 0 ? (pct * 100) / total : 100 / rest.length,
  }));
  const split = shares.map((s) => ({
    id: s.id,
    pct: Math.floor(s.exact),
    rem: s.exact - Math.floor(s.exact),
  }));
  let missing = 100 - split.reduce((sum, s) => sum + s.pct, 0);
  // Largest remainder first, so the rounding error goes where it is smallest.
  for (const s of [...split].sort((a, b) => b.rem - a.rem)) {
    if (missing <= 0) break;
    s.pct += 1;
    missing -= 1;
  }
  return Object.fromEntries(split.map((s) => [s.id, s.pct]));
}
