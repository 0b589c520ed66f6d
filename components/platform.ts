/**
 * `StreamingInferencePlatform`: the whole platform from one validated config. The data
 * plane (network, keys, channels, feature store, analytics), then what serves: a private
 * GPU endpoint per serving region, the worker image and a worker per consuming region,
 * and the SLOs, alerts and dashboard that watch it all.
 *
 * Fail-over is `config.activeRegion`: it decides where workers and endpoints run, never
 * the name of a data-bearing resource, so switching it replaces no topic, subscription,
 * table, dataset or key (test/failover).
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, parsePlatformConfig, topologyOf, type KeyStyle, type PlatformConfig } from "./config";
import { createDataPlane } from "./dataPlane";
import type { PlatformSettings } from "./platformSettings";
import { ProjectApis } from "./prerequisites";
import { createObservability } from "./observability";
import { createServing } from "./serving";
import { createWorkerImage, createWorkers, prebuiltImage, type WorkerImageBuild } from "./workerDeployment";

export interface StreamingInferencePlatformArgs {
  /**
   * The stack config (the keys of `Pulumi.<stack>.yaml` without the namespace), as written
   * or as returned by `loadPlatformConfig()`. Validated here with the same model, so a
   * mistake stops the program with a message naming the key. Required.
   */
  config: PlatformSettings;
  /**
   * Overrides of the worker image build, or a prebuilt image (`{ imageUri }`). Defaults to building
   * `worker/Dockerfile` from this package (its shipped build context when installed from a registry).
   */
  workerImage?: WorkerImageBuild;
  /** Model id the worker stamps on each prediction. Defaults to `config.model.displayName`. */
  modelId?: string;
}

export class StreamingInferencePlatform extends pulumi.ComponentResource {
  /** Topic producers publish events to. */
  declare public readonly eventsTopic: pulumi.Output<string>;
  /** Topic the predictions are published to (downstream consumers subscribe here). */
  declare public readonly predictionsTopic: pulumi.Output<string>;
  /** Region -> input subscription (every region; the standby one retains for fail-over). */
  declare public readonly eventsSubscriptions: pulumi.Output<Record<string, string>>;
  /** Dead-letter topic of the events subscriptions. */
  declare public readonly eventsDeadLetterTopic: pulumi.Output<string>;
  /** Region -> numeric Vertex AI endpoint id (every serving endpoint). */
  declare public readonly endpointIds: pulumi.Output<Record<string, string>>;
  /** Region -> worker pool name (every consuming region). */
  declare public readonly workerPools: pulumi.Output<Record<string, string>>;
  /** The worker image by digest. */
  declare public readonly workerImage: pulumi.Output<string>;
  /** BigQuery dataset id of the analytics sink, and the predictions table (`project.dataset.table`). */
  declare public readonly datasetId: pulumi.Output<string>;
  declare public readonly predictionsTable: pulumi.Output<string>;
  /** Bigtable instance, table and app profile the worker reads features from. */
  declare public readonly bigtableInstance: pulumi.Output<string>;
  declare public readonly bigtableTable: pulumi.Output<string>;
  /** The region whose worker and endpoint serve. */
  declare public readonly activeRegion: pulumi.Output<string>;
  /** The monitoring dashboard in the Cloud console. */
  declare public readonly dashboardUrl: pulumi.Output<string>;

  constructor(name: string, args: StreamingInferencePlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    // Every resource below waits for its API (ProjectApis), once the config says the stack enables them.
    let apis: ProjectApis | undefined;
    const waitForApi: pulumi.ResourceTransformation = (a) => apis?.transformation(a);
    super(
      "streaming-inference:index:StreamingInferencePlatform",
      name,
      {},
      pulumi.mergeOptions(opts, { transformations: [waitForApi] }),
    );
    // Parse: one validated config, and what it implies (names, locations, serving regions).
    const config = parseSettings(args.config, name, this);
    if (config.enableApis)
      apis = new ProjectApis(`${name}-apis`, { project: config.projectId }, { parent: this });
    const imageUri = prebuiltImage(args.workerImage, this);
    const topology = topologyOf(config);

    // The data plane: network, keys, channels, feature store, analytics.
    const data = createDataPlane(config, topology, { parent: this });
    const { events, predictions, featureStore, analytics } = data;
    const eventsDeadLetter = events.deadLetter;
    if (!eventsDeadLetter) {
      throw new pulumi.ResourceError(
        "StreamingInferencePlatform: the events channel has no dead-letter topic; the worker needs one",
        this,
      );
    }

    // Serving: an endpoint per serving region; workers: the image and a pool per consuming region.
    const endpoints = createServing(name, config, topology, data, this);
    const project = config.projectId;
    const workerImage = createWorkerImage(
      name,
      { project, topology, encryption: data.encryption, build: args.workerImage, imageUri },
      this,
    );
    const workers = createWorkers(
      name,
      config,
      topology,
      data,
      { image: workerImage, endpoints, deadLetter: eventsDeadLetter, modelId: args.modelId },
      this,
    );
    const endpointIds = mapOf([...endpoints].map(([r, e]) => [r, e.endpointId]));
    const workerPools = mapOf([...workers].map(([r, w]) => [r, w.workerPoolName]));

    // Observability: SLOs, alerts and the dashboard over all of it.
    const observability = createObservability(
      name,
      config,
      topology,
      data,
      { endpointIds, workerPools, eventsDeadLetter },
      this,
    );

    // Outputs: what a consumer needs.
    const outputs: PlatformOutputs = {
      eventsTopic: events.topicName,
      predictionsTopic: predictions.topicName,
      eventsSubscriptions: pulumi.output(events.subscriptionNames),
      eventsDeadLetterTopic: eventsDeadLetter.topicName,
      endpointIds: pulumi.output(endpointIds) as pulumi.Output<Record<string, string>>,
      workerPools: pulumi.output(workerPools) as pulumi.Output<Record<string, string>>,
      workerImage,
      datasetId: analytics.datasetId,
      predictionsTable: analytics.tableReference,
      bigtableInstance: featureStore.instanceId,
      bigtableTable: featureStore.tableId,
      activeRegion: pulumi.output(topology.activeRegion),
      dashboardUrl: observability.dashboardUrl,
    };
    Object.assign(this, outputs);
    this.registerOutputs(outputs);
  }
}

/** Every output property the platform declares, so the constructor cannot leave one unset. */
type PlatformOutputs = {
  [
    K in Exclude<keyof StreamingInferencePlatform, keyof pulumi.ComponentResource>
  ]: StreamingInferencePlatform[K];
};

function mapOf(
  entries: Iterable<readonly [string, pulumi.Input<string>]>,
): Record<string, pulumi.Input<string>> {
  return Object.fromEntries(entries);
}

/** A settings object's problems are named by the path the program wrote: `config.model.maxReplicas`. */
const SETTINGS_KEYS: KeyStyle = { prefix: "config.", setHint: "set it in the platform's `config` settings" };

/**
 * Validates the settings argument. A mistake is the program author's to fix: a ResourceError
 * on the platform that names each property path and the fix, shown without a stack trace.
 */
function parseSettings(raw: unknown, name: string, platform: pulumi.Resource): PlatformConfig {
  try {
    return parsePlatformConfig(raw, SETTINGS_KEYS);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const problems = err.problems.map((p) => `  - ${p}`).join("\n");
    throw new pulumi.ResourceError(
      `StreamingInferencePlatform ${name}: invalid settings:\n${problems}`,
      platform,
      true,
    );
  }
}
