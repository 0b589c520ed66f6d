/**
 * `InferenceWorker`: the worker in one region, as a Cloud Run worker pool (a pull
 * workload: no ingress at all) with Direct VPC egress into the private subnet, CMEK,
 * a dedicated service account holding only per-resource roles, and its settings
 * passed as environment variables named by `WORKER_ENV`.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { grantWorkerAccess } from "./workerAccess";
import { regionCode } from "./regionCode";
import { nodeOptionsFor } from "./heapLimit";
import { workerEnvironment, type WorkerSettings } from "./workerEnvironment";

/** Port of the worker's /healthz and /readyz (set in its env, probed by Cloud Run). */
export const WORKER_HEALTH_PORT = 8080;

export interface InferenceWorkerArgs {
  /** Name prefix: the pool is `<prefix>-worker-<region>`, the account `<prefix>-wk-<region code>`. Required. */
  prefix: string;
  /**
   * What the worker consumes, calls and publishes (it becomes the container's env).
   * `settings.region` is where the pool runs; `settings.projectId` holds everything. Required.
   */
  settings: WorkerSettings;
  /** Worker image by digest (`WorkerImage.imageDigest`). Required. */
  image: pulumi.Input<string>;
  /** Subnetwork in `settings.region` for Direct VPC egress (all traffic leaves through the VPC). Required. */
  subnetwork: pulumi.Input<string>;
  /** Cloud KMS key in `settings.region` for the pool (Cloud Run's agent must hold encrypter/decrypter on it). Required. */
  kmsKeyName: pulumi.Input<string>;
  /** The grant of `kmsKeyName` to Cloud Run's service agent; the pool waits for it. Optional. */
  kmsKeyGrant?: pulumi.Resource;
  /**
   * Instances kept running. Worker pools have no built-in autoscaler for a Pub/Sub backlog,
   * so this is the pool's manual instance count. Defaults to 1.
   */
  minInstances?: pulumi.Input<number>;
  /** Ceiling for an external autoscaler (recorded on the pool's scaling settings). Defaults to 4. */
  maxInstances?: pulumi.Input<number>;
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

  constructor(name: string, args: InferenceWorkerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("streaming-inference:index:InferenceWorker", name, {}, opts);
    const { settings } = args;
    const region = settings.region;

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
    const memory = args.memory ?? "1Gi";
    const pool = new gcp.cloudrunv2.WorkerPool(
      `${name}-pool`,
      {
        project: settings.projectId,
        location: region,
        name: `${args.prefix}-worker-${region}`,
        // Stateless: failing over deletes the old region's pool, so it must be deletable.
        deletionProtection: false,
        // No launchStage: worker pools are GA, and the API reads back the stage it uses, so
        // setting one would show a diff on every `pulumi up`.
        labels: args.labels,
        scaling: {
          scalingMode: "MANUAL",
          manualInstanceCount: args.minInstances ?? 1,
          maxInstanceCount: args.maxInstances ?? 4,
        },
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
              resources: { limits: { cpu: args.cpu ?? "1", memory } },
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
      // The pool must not start before it may read its subscription and call its endpoint.
      { parent: this, dependsOn: args.kmsKeyGrant ? [...grants, args.kmsKeyGrant] : grants },
    );

    this.workerPoolId = pool.id;
    this.workerPoolName = pool.name;
    this.serviceAccountEmail = account.email;
    this.region = pulumi.output(region);
    this.registerOutputs({
      workerPoolId: this.workerPoolId,
      workerPoolName: this.workerPoolName,
      serviceAccountEmail: this.serviceAccountEmail,
      region: this.region,
    });
  }
}
