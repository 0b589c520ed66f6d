/**
 * `InferenceWorker`: the worker in one region, as a Cloud Run worker pool (a pull
 * workload: no ingress at all) with Direct VPC egress into the private subnet, CMEK,
 * a dedicated service account holding only per-resource roles, and its settings
 * passed as environment variables named by `WORKER_ENV`.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { scalingProblems, workerScalingOf, workerScalingSchema } from "../config/scaling";
import type { WorkerScalingSettings } from "../platformSettings";
import { BacklogAutoscaler } from "./backlogAutoscaler";
import { poolScalingOf } from "./poolScaling";
import { liveInstanceCount } from "./liveInstanceCount";
import { grantWorkerAccess } from "./workerAccess";
import { regionCode } from "../../contract/gcp";
import { nodeOptionsFor } from "./heapLimit";
import { workerEnvironment, type InferenceWorkerSettings } from "./workerEnvironment";
import { WORKER_POOL_DEFAULTS } from "./defaults";
import { WORKER_HEALTH_PORT } from "../../contract";

/** Port of the worker's /healthz and /readyz (set in its env, probed by Cloud Run); defined in contract/. */
export { WORKER_HEALTH_PORT };

export interface InferenceWorkerArgs {
  /** Name prefix: the pool is `<prefix>-worker-<region>`, the account `<prefix>-wk-<region code>`. Required. */
  prefix: string;
  /**
   * What the worker consumes, calls and publishes (it becomes the container's env).
   * `settings.region` is where the pool runs; `settings.projectId` holds everything. Required.
   */
  settings: InferenceWorkerSettings;
  /** Worker image by digest (`WorkerImage.imageDigest`). Required. */
  image: pulumi.Input<string>;
  /** Subnetwork in `settings.region` for Direct VPC egress (all traffic leaves through the VPC). Required. */
  subnetwork: pulumi.Input<string>;
  /** Cloud KMS key in `settings.region` for the pool (Cloud Run's agent must hold encrypter/decrypter on it). Required. */
  kmsKeyName: pulumi.Input<string>;
  /** The grant of `kmsKeyName` to Cloud Run's service agent; the pool waits for it. Optional. */
  kmsKeyGrant?: pulumi.Resource;
  /**
   * How the pool scales: a manual count, Cloud Run's CPU autoscaling, or CREMA on the
   * input subscription's backlog (a `BacklogAutoscaler` beside the pool, which then owns
   * the pool's instance count). Defaults to manual at `minInstances`.
   */
  scaling?: WorkerScalingSettings;
  /** Older argument: the manual instance count when `scaling` is not given. Defaults to 1. */
  minInstances?: number;
  /** vCPUs per instance. Defaults to "1". */
  cpu?: pulumi.Input<string>;
  /** Memory per instance, e.g. "1Gi". Defaults to "1Gi". */
  memory?: pulumi.Input<string>;
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class InferenceWorker extends pulumi.ComponentResource {
  /** Worker pool resource id. */
  declare public readonly workerPoolId: pulumi.Output<string>;
  /** Worker pool name (`<prefix>-worker-<region>`). */
  declare public readonly workerPoolName: pulumi.Output<string>;
  /** The worker's service account e-mail. */
  declare public readonly serviceAccountEmail: pulumi.Output<string>;
  /** Region the worker runs in. */
  declare public readonly region: pulumi.Output<string>;
  /** The backlog autoscaler's Cloud Run service, when the pool scales on its backlog. */
  declare public readonly autoscalerService: pulumi.Output<string | undefined>;

  constructor(name: string, args: InferenceWorkerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("streaming-inference:index:InferenceWorker", name, {}, opts);
    const { settings } = args;
    const region = settings.region;
    // Validated here too: other programs (and other languages) use this component directly.
    const context = {
      environment: "staging" as const,
      worker: {
        scaling: workerScalingSchema.parse(
          args.scaling ?? { mode: "manual", instances: args.minInstances ?? 1 },
        ),
        maxBatchSize: settings.maxBatchSize,
        maxInFlight: settings.maxInFlight,
      },
    };
    const problems = scalingProblems(context).map(
      ([path, message]) => `${path.slice(1).join(".")} ${message}`,
    );
    if (problems.length > 0) throw new Error(`InferenceWorker ${name}: ${problems.join("; ")}`);
    const scaling = workerScalingOf(context);

    const account = new gcp.serviceaccount.Account(
      `${name}-sa`,
      {
        project: settings.projectId,
        accountId: `${args.prefix}-wk-${regionCode(region)}`,
        displayName: `streaming-inference worker (${region})`,
        description: "Runs the streaming-inference worker pool; holds only per-resource roles.",
      },
      { parent: this },
    );

    const grants = grantWorkerAccess(
      name,
      account.member,
      {
        project: settings.projectId,
        subscription: settings.subscription,
        publishTopics: { predictions: settings.predictionsTopic, "dead-letter": settings.deadLetterTopic },
        bigtableInstance: settings.bigtableInstance,
        endpointId: settings.vertexEndpointId,
        endpointLocation: settings.vertexLocation,
      },
      { parent: this },
    );

    const env = workerEnvironment({ ...settings, healthPort: WORKER_HEALTH_PORT });
    const poolName = `${args.prefix}-worker-${region}`;
    // Backlog mode: CREMA owns the instance count, so a deploy sends back the live one.
    const poolScaling =
      scaling.mode === "backlog"
        ? liveInstanceCount(
            { project: settings.projectId, location: region, name: poolName },
            { parent: this },
          ).apply((live) => poolScalingOf(scaling, live))
        : poolScalingOf(scaling);
    const memory = args.memory ?? WORKER_POOL_DEFAULTS.memory;
    const pool = new gcp.cloudrunv2.WorkerPool(
      `${name}-pool`,
      {
        project: settings.projectId,
        location: region,
        name: poolName,
        // Stateless: failing over deletes the old region's pool, so it must be deletable.
        deletionProtection: false,
        // No launchStage: worker pools are GA, and the API reads back the stage it uses, so
        // setting one would show a diff on every `pulumi up`.
        labels: args.labels,
        scaling: poolScaling,
        template: {
          serviceAccount: account.email,
          encryptionKey: args.kmsKeyName,
          labels: args.labels,
          vpcAccess: {
            egress: "ALL_TRAFFIC",
            networkInterfaces: [{ subnetwork: args.subnetwork }],
          },
          containers: [
            {
              name: "worker",
              image: args.image,
              envs: [...env, { name: "NODE_OPTIONS", value: pulumi.output(memory).apply(nodeOptionsFor) }],
              resources: { limits: { cpu: args.cpu ?? WORKER_POOL_DEFAULTS.cpu, memory } },
              startupProbe: {
                httpGet: { path: "/readyz", port: WORKER_HEALTH_PORT },
                periodSeconds: 5,
                failureThreshold: 24,
              },
              livenessProbe: {
                httpGet: { path: "/healthz", port: WORKER_HEALTH_PORT },
                periodSeconds: 15,
                failureThreshold: 3,
              },
            },
          ],
        },
      },
      {
        parent: this,
        // The pool must not start before it may read its subscription and call its endpoint.
        dependsOn: args.kmsKeyGrant ? [...grants, args.kmsKeyGrant] : grants,
        // No ignoreChanges on the count: Pulumi would send its stale state value in the
        // provider's whole-object PATCH; the live count is sent instead (above).
      },
    );

    if (scaling.mode === "backlog") {
      const autoscaler = new BacklogAutoscaler(
        `${name}-autoscaler`,
        {
          prefix: args.prefix,
          projectId: settings.projectId,
          region,
          workerPoolName: pool.name,
          workerServiceAccountEmail: account.email,
          subscriptionName: settings.subscription,
          targetBacklogPerInstance: scaling.targetBacklogPerInstance,
          minInstances: scaling.minInstances,
          maxInstances: scaling.maxInstances,
          cooldownSeconds: scaling.cooldownSeconds,
          subnetwork: args.subnetwork,
          labels: args.labels,
        },
        { parent: this },
      );
      this.autoscalerService = autoscaler.serviceName;
    } else {
      this.autoscalerService = pulumi.output(undefined);
    }

    this.workerPoolId = pool.id;
    this.workerPoolName = pool.name;
    this.serviceAccountEmail = account.email;
    this.region = pulumi.output(region);
    this.registerOutputs({
      workerPoolId: this.workerPoolId,
      workerPoolName: this.workerPoolName,
      serviceAccountEmail: this.serviceAccountEmail,
      region: this.region,
      autoscalerService: this.autoscalerService,
    });
  }
}
