/**
 * `BacklogAutoscaler`: CREMA (Cloud Run External Metrics Autoscaling), Google's KEDA-based
 * autoscaler, deployed for one worker pool and scaling it on its input subscription's
 * backlog. Set-up as CREMA's README describes it (GoogleCloudPlatform/cloud-run-external-
 * metrics-autoscaling, README.md "Setup"), with the grants narrowed to single resources:
 * - its own service account;
 * - `roles/run.developer` on this one worker pool (README: "for each individual ... worker
 *   pool ... considered a security best practice"), never on the project;
 * - `roles/iam.serviceAccountUser` on the worker's service account only;
 * - `roles/monitoring.viewer` on the project: KEDA's gcp-stackdriver scaler reads the
 *   subscription's metrics from Cloud Monitoring, which has no finer-grained IAM than the
 *   project;
 * - `roles/parametermanager.parameterViewer` on the project, with no condition, as CREMA's
 *   README grants it ("Configure"): the grant documented to work. CREMA reads its config
 *   with GetParameterVersion (metric-provider/internal/config/provider.go), which needs
 *   `parametermanager.parameterVersions.get` (Parameter Manager REST reference). A
 *   narrower grant is not available: the Parameter Manager v1 API has no IAM methods on a
 *   parameter (googleapis google/cloud/parametermanager/v1/service.proto), so neither does
 *   the provider (@pulumi/gcp 9.37, magic-modules products/parametermanager), and IAM
 *   Conditions' resource attributes are not documented for Parameter Manager (IAM
 *   "Resource attributes for IAM Conditions" lists no parametermanager.googleapis.com):
 *   a condition on resource.name might never match, and CREMA, which exits when it
 *   cannot load its config (metric-provider/server/server.go), would never start.
 * The configuration lives in a global Parameter Manager parameter: CREMA reads it once at
 * start-up through the global endpoint (metric-provider/internal/clients/client_factory.go
 * `GlobalParameterManager`), so each change is a new parameter version and a new revision.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { fnv1a } from "../../contract/hash";
import { cremaConfigOf, type BacklogScalerSpec } from "./cremaConfig";
import { regionCode } from "../../contract/gcp";

/**
 * CREMA's pre-built image (README "Deploy" and "Image Versioning": tag 1.2 = KEDA v2.20,
 * the preferred release; images before 2026-04-29 leak memory). Built `FROM scratch`, it
 * runs on the Java 25 base image Cloud Run keeps updated (`--base-image`).
 */
export const CREMA_IMAGE = "us-central1-docker.pkg.dev/cloud-run-oss-images/crema-v1/autoscaler:1.2";
export const CREMA_BASE_IMAGE = "us-central1-docker.pkg.dev/serverless-runtimes/google-24/runtimes/java25";

export const AUTOSCALER_ROLES = {
  scaler: "roles/run.developer",
  actAsWorker: "roles/iam.serviceAccountUser",
  monitoringReader: "roles/monitoring.viewer",
  configReader: "roles/parametermanager.parameterViewer",
} as const;

export interface BacklogAutoscalerArgs {
  /** Name prefix: the service is `<prefix>-crema-<region>`, the account `<prefix>-as-<region code>`. Required. */
  prefix: string;
  projectId: pulumi.Input<string>;
  /** Region of the worker pool; the autoscaler runs beside it. Required. */
  region: string;
  /** The pool to scale (short name). Required. */
  workerPoolName: pulumi.Input<string>;
  /** The worker's service account e-mail (CREMA acts as it when it updates the pool). Required. */
  workerServiceAccountEmail: pulumi.Input<string>;
  /** Input subscription (short name) whose backlog drives the pool. Required. */
  subscriptionName: pulumi.Input<string>;
  targetBacklogPerInstance: number;
  minInstances: number;
  maxInstances: number;
  /** Scale-down stabilization window, seconds (CREMA ignores KEDA's `cooldownPeriod`). */
  cooldownSeconds: number;
  /** Subnetwork for Direct VPC egress, as the worker's. Required. */
  subnetwork: pulumi.Input<string>;
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class BacklogAutoscaler extends pulumi.ComponentResource {
  /** The CREMA Cloud Run service's name. */
  declare public readonly serviceName: pulumi.Output<string>;
  /** The CREMA config as CREMA reads it (JSON, a YAML subset). */
  declare public readonly config: pulumi.Output<string>;
  /** Full name of the parameter version CREMA reads (`CREMA_CONFIG`). */
  declare public readonly configVersion: pulumi.Output<string>;
  /** The autoscaler's service account e-mail. */
  declare public readonly serviceAccountEmail: pulumi.Output<string>;

  constructor(name: string, args: BacklogAutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("streaming-inference:index:BacklogAutoscaler", name, {}, opts);
    const parent = { parent: this };
    const { region } = args;

    const account = new gcp.serviceaccount.Account(
      `${name}-sa`,
      {
        project: args.projectId,
        accountId: `${args.prefix}-as-${regionCode(region)}`,
        displayName: `streaming-inference backlog autoscaler (${region})`,
        description: "Runs CREMA for one worker pool; holds only per-resource roles.",
      },
      parent,
    );

    const config = pulumi
      .all([args.projectId, args.workerPoolName, args.subscriptionName])
      .apply(([projectId, workerPoolName, subscriptionName]) => {
        const spec: BacklogScalerSpec = {
          projectId,
          region,
          workerPoolName,
          subscriptionName,
          targetBacklogPerInstance: args.targetBacklogPerInstance,
          minInstances: args.minInstances,
          maxInstances: args.maxInstances,
          cooldownSeconds: args.cooldownSeconds,
        };
        return JSON.stringify(cremaConfigOf(spec), null, 2);
      });

    const parameterId = `${args.prefix}-crema-${region}`;
    const parameter = new gcp.parametermanager.Parameter(
      `${name}-config`,
      { project: args.projectId, parameterId, format: "JSON", labels: args.labels },
      parent,
    );
    // A version per content: CREMA reads its config once, so a change must reach it as a
    // new version name in its environment, which makes a new revision.
    const version = new gcp.parametermanager.ParameterVersion(
      `${name}-config-version`,
      {
        parameter: parameter.id,
        parameterVersionId: config.apply((c) => `v-${fnv1a(c).toString(16).padStart(8, "0")}`),
        parameterData: config,
      },
      { parent: this, deleteBeforeReplace: false },
    );

    const member = account.member;
    const grants: pulumi.Resource[] = [
      new gcp.cloudrunv2.WorkerPoolIamMember(
        `${name}-pool-developer`,
        {
          project: args.projectId,
          location: region,
          name: args.workerPoolName,
          role: AUTOSCALER_ROLES.scaler,
          member,
        },
        parent,
      ),
      new gcp.serviceaccount.IAMMember(
        `${name}-act-as-worker`,
        {
          serviceAccountId: pulumi.interpolate`projects/${args.projectId}/serviceAccounts/${args.workerServiceAccountEmail}`,
          role: AUTOSCALER_ROLES.actAsWorker,
          member,
        },
        parent,
      ),
      new gcp.projects.IAMMember(
        `${name}-monitoring-viewer`,
        { project: args.projectId, role: AUTOSCALER_ROLES.monitoringReader, member },
        parent,
      ),
      new gcp.projects.IAMMember(
        `${name}-config-viewer`,
        { project: args.projectId, role: AUTOSCALER_ROLES.configReader, member },
        parent,
      ),
    ];

    const service = new gcp.cloudrunv2.Service(
      `${name}-service`,
      {
        project: args.projectId,
        location: region,
        name: `${args.prefix}-crema-${region}`,
        description: pulumi.interpolate`CREMA: scales worker pool ${args.workerPoolName} on its input subscription's backlog`,
        // Moves with the worker on failover, so it must be deletable.
        deletionProtection: false,
        // Nothing calls it: it polls on its own timer (spec.pollingInterval).
        ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY",
        labels: args.labels,
        // Exactly one instance: CREMA keeps its stabilization window in memory, and a pool
        // must be scaled by a single CREMA (README "Known Issues").
        scaling: { scalingMode: "MANUAL", manualInstanceCount: 1 },
        template: {
          serviceAccount: account.email,
          labels: args.labels,
          vpcAccess: { egress: "ALL_TRAFFIC", networkInterfaces: [{ subnetwork: args.subnetwork }] },
          containers: [
            {
              name: "crema",
              image: CREMA_IMAGE,
              baseImageUri: CREMA_BASE_IMAGE,
              // Polling runs between requests: CPU must stay allocated (`--no-cpu-throttling`).
              resources: { cpuIdle: false, limits: { cpu: "1", memory: "512Mi" } },
              envs: [
                { name: "CREMA_CONFIG", value: version.name },
                { name: "OUTPUT_SCALER_METRICS", value: "False" },
                { name: "ENABLE_CLOUD_LOGGING", value: "False" },
              ],
            },
          ],
        },
      },
      // Every grant exists before CREMA's first revision starts: it reads its config once at
      // start-up and exits if it cannot. IAM grants propagate in typically 2 minutes,
      // potentially 7 or more (IAM "Access change propagation"): a first revision that
      // still fails is retried by the next `pulumi up` (docs/scaling.md).
      { parent: this, dependsOn: [...grants, version] },
    );

    this.serviceName = service.name;
    this.config = config;
    this.configVersion = version.name;
    this.serviceAccountEmail = account.email;
    this.registerOutputs({
      serviceName: this.serviceName,
      config: this.config,
      configVersion: this.configVersion,
      serviceAccountEmail: this.serviceAccountEmail,
    });
  }
}
