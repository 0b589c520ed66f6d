/**
 * `ModelDeployment`: a custom model uploaded to Vertex AI and deployed on GPUs to an
 * endpoint, as a Pulumi resource (type `pulumi-nodejs:dynamic/vertex:ModelDeployment`).
 */
import * as pulumi from "@pulumi/pulumi";
import { ModelDeploymentProvider } from "./provider";
import { MODEL_REVISION_KEYS } from "../endpointAccess";
import { SCALING_KEYS, gpuQuota, gpuQuotaStatement, type ModelDeploymentInputs } from "./spec";
import type { VertexApiFactory } from "./vertexApi";
import { MODEL_DEPLOYMENT_KIND, MODEL_DEPLOYMENT_MODULE } from "../../../contract/modelDeployment";

/**
 * The fields of the one model type (`ModelDeploymentInputs`) an endpoint serves: what
 * makes a new model (a new revision), then what scales it in place.
 */
export const SERVED_MODEL_KEYS = [...MODEL_REVISION_KEYS, ...SCALING_KEYS] as const;

/**
 * The model to serve and the hardware it is served on, each field an Input: the
 * `SERVED_MODEL_KEYS` of the one model type, `ModelDeploymentInputs`. An interface rather
 * than a mapped `Pick`, because Pulumi's schema analyzer (other languages) reads only
 * interfaces; the keys are checked against `ModelDeploymentInputs` below.
 */
export interface ServedModel {
  /** Display name of the model and of the deployed model. */
  displayName: pulumi.Input<string>;
  /** gs:// folder with the model artifact. Changing it deploys a new model (replacement). */
  artifactUri: pulumi.Input<string>;
  /** Serving container image. Changing it deploys a new model. */
  servingImage: pulumi.Input<string>;
  /** HTTP route of predictions in the serving container, e.g. `/predict`. */
  predictRoute: pulumi.Input<string>;
  /** HTTP route of health checks in the serving container, e.g. `/health`. */
  healthRoute: pulumi.Input<string>;
  /** Port the serving container listens on. */
  port: pulumi.Input<number>;
  /** GPU machine type, e.g. `g2-standard-8`. */
  machineType: pulumi.Input<string>;
  /** Accelerator type as Vertex names it, e.g. `NVIDIA_L4`. */
  acceleratorType: pulumi.Input<string>;
  /** Accelerators per replica. */
  acceleratorCount: pulumi.Input<number>;
  /** Replicas always running. Changed in place. */
  minReplicas: pulumi.Input<number>;
  /** Autoscaling ceiling. Changed in place. */
  maxReplicas: pulumi.Input<number>;
  /** Target accelerator duty cycle (percent) autoscaling keeps replicas at. Changed in place. */
  dutyCycleTarget: pulumi.Input<number>;
  /** Signal replicas scale on: "duty-cycle" (default) or "request-count". Changed in place. */
  autoscalingMetric?: pulumi.Input<string>;
  /** Target of the request_count metric, with autoscalingMetric "request-count". Changed in place. */
  requestCountTarget?: pulumi.Input<number>;
  /**
   * maxReplicas of a new model while the endpoint still holds the old one (a model change
   * deploys first): both count against the GPU quota at maxReplicas x GPUs. The next
   * `pulumi up` raises it to maxReplicas. Defaults to maxReplicas.
   */
  switchMaxReplicas?: pulumi.Input<number>;
}

export interface ModelDeploymentArgs extends ServedModel {
  /** Project that holds the endpoint and the uploaded model. */
  project: pulumi.Input<string>;
  /** Region of the endpoint; the model is uploaded to the same region. */
  location: pulumi.Input<string>;
  /** Endpoint resource name, `projects/<p>/locations/<l>/endpoints/<id>` (an `AiEndpoint`'s `id`). */
  endpoint: pulumi.Input<string>;
  /** Cloud KMS key (in `location`) the uploaded model is encrypted with. */
  kmsKeyName: pulumi.Input<string>;
  /** Service account the serving container runs as. Defaults to Vertex AI's. */
  serviceAccount?: pulumi.Input<string>;
  /** Labels on the uploaded model. Changed in place. */
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** How long to wait for each Vertex long-running operation, seconds. Defaults to 3600. */
  operationTimeoutSeconds?: pulumi.Input<number>;
  /**
   * The endpoint's type, `psc` or `peering`: the provider then reports the serving address
   * (`pscAddress` or `predictHttpUri`), and refuses at preview to put a second model on a
   * peering endpoint. Unset for an endpoint managed elsewhere (no address reported).
   */
  connectivity?: pulumi.Input<"psc" | "peering">;
}

// Compile time: the served model has exactly the `SERVED_MODEL_KEYS`, and the args name every field of the one model type (`ModelDeploymentInputs`), and no other.
const servedKeysMatch: [
  Exclude<keyof ServedModel, (typeof SERVED_MODEL_KEYS)[number]>,
  Exclude<(typeof SERVED_MODEL_KEYS)[number], keyof ServedModel>,
] extends [never, never]
  ? true
  : false = true;
const argsCoverInputs: [
  Exclude<keyof ModelDeploymentArgs, keyof ModelDeploymentInputs>,
  Exclude<keyof ModelDeploymentInputs, keyof ModelDeploymentArgs>,
] extends [never, never]
  ? true
  : false = true;
void [servedKeysMatch, argsCoverInputs];

export class ModelDeployment extends pulumi.dynamic.Resource {
  /** Uploaded model resource name. */
  declare public readonly model: pulumi.Output<string>;
  declare public readonly modelVersionId: pulumi.Output<string>;
  /** Id of the DeployedModel on the endpoint (the key of the endpoint's traffic split). */
  declare public readonly deployedModelId: pulumi.Output<string>;
  declare public readonly endpoint: pulumi.Output<string>;
  /** Peering: the deployed model's private predict URI (HTTP only). */
  declare public readonly predictHttpUri: pulumi.Output<string | undefined>;
  /** PSC: the IP address of the endpoint's PSC forwarding rule in the VPC. */
  declare public readonly pscAddress: pulumi.Output<string | undefined>;

  constructor(
    name: string,
    args: ModelDeploymentArgs,
    opts?: pulumi.CustomResourceOptions,
    /** For tests: the Vertex API the provider uses. */
    api?: VertexApiFactory,
  ) {
    super(
      new ModelDeploymentProvider(api),
      name,
      {
        ...args,
        model: undefined,
        modelVersionId: undefined,
        deployedModelId: undefined,
        predictHttpUri: undefined,
        pscAddress: undefined,
      },
      // Create-before-delete is what keeps the endpoint serving through a replacement.
      { ...opts, deleteBeforeReplace: false },
      MODEL_DEPLOYMENT_MODULE,
      MODEL_DEPLOYMENT_KIND,
    );
    // The preview states the GPU quota the deployment and a model change need.
    if (pulumi.runtime.isDryRun()) {
      pulumi
        .all([
          args.location,
          args.acceleratorType,
          args.acceleratorCount,
          args.minReplicas,
          args.maxReplicas,
          args.switchMaxReplicas,
        ])
        .apply(
          ([location, acceleratorType, acceleratorCount, minReplicas, maxReplicas, switchMaxReplicas]) => {
            const q = gpuQuota({
              location,
              acceleratorType,
              acceleratorCount,
              minReplicas,
              maxReplicas,
              switchMaxReplicas,
            } as ModelDeploymentInputs);
            void pulumi.log.info(gpuQuotaStatement(q), this);
          },
        );
    }
  }
}
