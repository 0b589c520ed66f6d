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
import { maxRequestBytesFor } from "../contract";
import { parsePlatformConfig, topologyOf, workerScalingOf } from "./config";
import { createDataPlane } from "./dataPlane";
import type { PlatformSettings } from "./platformSettings";
import { Observability } from "./observability";
import { InferenceEndpoint } from "./serving";
import { InferenceWorker, WorkerImage } from "./workerDeployment";

export interface WorkerImageBuild {
  /** Docker build context. Defaults to this package's root (the worker needs `contract/`). */
  context?: string;
  /** Dockerfile path. Defaults to `<package root>/worker/Dockerfile`. */
  dockerfile?: string;
  /** Target platform. Defaults to `linux/amd64`. */
  platform?: string;
  /**
   * A worker image built elsewhere (your CI), by digest: `<host>/<project>/<repo>/worker@sha256:<64 hex>`.
   * When set, nothing is built or pushed (no repository, no Docker engine where `pulumi up` runs);
   * the worker pools' service agent must be able to pull it. Exclusive with the build options.
   */
  imageUri?: string;
}

/** A digest reference, so a new image rolls the worker pools and an unchanged one does not. */
const IMAGE_BY_DIGEST = /^[a-z0-9.-]+(:\d+)?\/[^@\s]+@sha256:[0-9a-f]{64}$/;

/** The prebuilt image, after checking it is a digest reference and no build option is also set. */
function prebuiltImage(build: WorkerImageBuild | undefined): string | undefined {
  if (build?.imageUri === undefined) return undefined;
  const { imageUri, ...buildOptions } = build;
  const extra = Object.keys(buildOptions).filter(
    (k) => buildOptions[k as keyof typeof buildOptions] !== undefined,
  );
  if (extra.length > 0) {
    throw new Error(
      `StreamingInferencePlatform: workerImage.imageUri is a prebuilt image; remove ${extra.map((k) => `workerImage.${k}`).join(", ")} (build options) or imageUri`,
    );
  }
  if (!IMAGE_BY_DIGEST.test(imageUri)) {
    throw new Error(
      `StreamingInferencePlatform: workerImage.imageUri is "${imageUri}"; give the image by digest ` +
        "(<host>/<project>/<repository>/<image>@sha256:<64 hex>), e.g. from `gcloud artifacts docker images describe`",
    );
  }
  return imageUri;
}

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
    super("streaming-inference:index:StreamingInferencePlatform", name, {}, opts);
    const config = parsePlatformConfig(args.config);
    const imageUri = prebuiltImage(args.workerImage);
    const topology = topologyOf(config);
    const { prefix, labels, sharedKeyLocation } = topology;
    const project = config.projectId;
    const parent = { parent: this };

    const data = createDataPlane(config, topology, parent);
    const { encryption, network, events, predictions, featureStore, analytics } = data;
    const eventsDeadLetter = events.deadLetter;
    if (!eventsDeadLetter) {
      throw new Error(
        "StreamingInferencePlatform: the events channel has no dead-letter topic; the worker needs one",
      );
    }

    // Artifact Registry has multi-regions (us, europe) but no "global": regions in several areas
    // keep the image in the first region (the Encryption component keys each region for it).
    const imageLocation = sharedKeyLocation === "global" ? topology.regions[0]! : sharedKeyLocation;
    const imageKey = encryption.keyFor("artifactregistry", imageLocation);
    const workerImage: pulumi.Output<string> =
      imageUri !== undefined
        ? pulumi.output(imageUri)
        : new WorkerImage(
            `${name}-worker-image`,
            {
              project,
              prefix,
              location: imageLocation,
              kmsKeyName: imageKey.id,
              kmsKeyGrant: imageKey.grant,
              ...args.workerImage,
              labels,
            },
            parent,
          ).imageDigest;

    const { model } = config;
    const endpoints = new Map(
      topology.endpointRegions.map((region) => {
        const key = encryption.keyFor("aiplatform", region);
        // A warm standby is the same deployment: with no traffic its duty cycle stays low,
        // so autoscaling holds it at minReplicas, and taking over needs no redeploy.
        const endpoint = new InferenceEndpoint(
          `${name}-endpoint-${region}`,
          {
            project,
            prefix,
            region,
            connectivity: config.endpoint.connectivity,
            networkName: network.networkName,
            privateServicesConnection: network.privateServicesConnection,
            kmsKeyName: key.id,
            kmsKeyGrant: key.grant,
            model: {
              displayName: model.displayName,
              artifactUri: model.artifactUri,
              servingImage: model.servingImage,
              predictRoute: model.predictRoute,
              healthRoute: model.healthRoute,
              port: model.port,
              machineType: model.machineType,
              acceleratorType: model.acceleratorType,
              acceleratorCount: model.acceleratorCount,
              minReplicas: model.minReplicas,
              maxReplicas: model.maxReplicas,
              dutyCycleTarget: model.dutyCycleTarget,
              // Only when chosen: a deployment made before the option existed sees no change.
              ...(model.autoscalingMetric === "request-count"
                ? { autoscalingMetric: model.autoscalingMetric, requestCountTarget: model.requestCountTarget }
                : {}),
            },
            labels,
          },
          parent,
        );
        return [region, endpoint] as const;
      }),
    );

    const { worker } = config;
    const workers = new Map(
      topology.workerRegions.map((region) => {
        const endpoint = endpoints.get(region);
        const subscription = events.subscriptionNames[region];
        const subnetwork = network.subnetIds[region];
        if (!endpoint || !subscription || !subnetwork) {
          throw new Error(
            `StreamingInferencePlatform: worker region ${region} lacks an endpoint, subscription or subnet; ` +
              `every worker region must be one of the configured regions (${topology.regions.join(", ")})`,
          );
        }
        const key = encryption.keyFor("run", region);
        const instance = new InferenceWorker(
          `${name}-worker-${region}`,
          {
            prefix,
            settings: {
              projectId: project,
              region,
              subscription,
              predictionsTopic: predictions.topicName,
              deadLetterTopic: eventsDeadLetter.topicName,
              bigtableInstance: featureStore.instanceId,
              bigtableTable: featureStore.tableId,
              bigtableAppProfile: featureStore.appProfileId,
              vertexEndpointId: endpoint.endpointId,
              vertexLocation: region,
              // The address and protocol come from the endpoint's outputs (PSC: gRPC at the
              // PSC address; peering: HTTP at the deployed model's predict URI).
              ...workerRouteOf(endpoint, config.endpoint.connectivity),
              maxRequestBytes: maxRequestBytesFor(config.endpoint.connectivity),
              modelId: args.modelId ?? model.displayName,
              maxBatchSize: worker.maxBatchSize,
              maxBatchDelayMs: worker.maxBatchDelayMs,
              maxInFlight: worker.maxInFlight,
              predictTimeoutMs: worker.predictTimeoutMs,
              featureCacheTtlMs: worker.featureCacheTtlMs,
              pullStreams: worker.pullStreams,
              ackDeadlineSeconds: config.messaging.ackDeadlineSeconds,
              modelIo: {
                features: model.features,
                instanceShape: model.instanceShape,
                parameters: model.parameters,
                output: model.output,
              },
            },
            image: workerImage,
            subnetwork,
            kmsKeyName: key.id,
            kmsKeyGrant: key.grant,
            scaling: workerScalingOf(config),
            cpu: worker.cpu,
            memory: worker.memory,
            labels,
          },
          parent,
        );
        return [region, instance] as const;
      }),
    );

    const mapOf = (
      entries: Iterable<readonly [string, pulumi.Input<string>]>,
    ): Record<string, pulumi.Input<string>> => Object.fromEntries(entries);
    const endpointIds = mapOf([...endpoints].map(([r, e]) => [r, e.endpointId]));
    const workerPools = mapOf([...workers].map(([r, w]) => [r, w.workerPoolName]));

    const observability = new Observability(
      `${name}-observability`,
      {
        project,
        prefix,
        alerts: config.alerts,
        inputSubscriptions: events.subscriptionNames,
        consumingRegions: topology.workerRegions,
        deadLetterSubscriptions: {
          events: eventsDeadLetter.subscriptionName,
          analytics: analytics.deadLetter.subscriptionName,
        },
        endpoints: endpointIds,
        workerPools,
        dutyCycleTarget: model.dutyCycleTarget,
        labels,
      },
      parent,
    );

    this.eventsTopic = events.topicName;
    this.predictionsTopic = predictions.topicName;
    this.eventsSubscriptions = pulumi.output(events.subscriptionNames);
    this.eventsDeadLetterTopic = eventsDeadLetter.topicName;
    this.endpointIds = pulumi.output(endpointIds) as pulumi.Output<Record<string, string>>;
    this.workerPools = pulumi.output(workerPools) as pulumi.Output<Record<string, string>>;
    this.workerImage = workerImage;
    this.datasetId = analytics.datasetId;
    this.predictionsTable = analytics.tableReference;
    this.bigtableInstance = featureStore.instanceId;
    this.bigtableTable = featureStore.tableId;
    this.activeRegion = pulumi.output(topology.activeRegion);
    this.dashboardUrl = observability.dashboardUrl;
    this.registerOutputs({
      eventsTopic: this.eventsTopic,
      predictionsTopic: this.predictionsTopic,
      eventsSubscriptions: this.eventsSubscriptions,
      eventsDeadLetterTopic: this.eventsDeadLetterTopic,
      endpointIds: this.endpointIds,
      workerPools: this.workerPools,
      workerImage: this.workerImage,
      datasetId: this.datasetId,
      predictionsTable: this.predictionsTable,
      bigtableInstance: this.bigtableInstance,
      bigtableTable: this.bigtableTable,
      activeRegion: this.activeRegion,
      dashboardUrl: this.dashboardUrl,
    });
  }
}

/** The worker's Vertex route env from an endpoint's outputs. */
function workerRouteOf(
  endpoint: InferenceEndpoint,
  connectivity: "psc" | "peering",
): {
  vertexProtocol: pulumi.Input<string>;
  vertexApiEndpoint?: pulumi.Input<string>;
  vertexPredictUrl?: pulumi.Input<string>;
} {
  return connectivity === "peering"
    ? { vertexProtocol: endpoint.predictProtocol, vertexPredictUrl: endpoint.predictAddress }
    : { vertexProtocol: endpoint.predictProtocol, vertexApiEndpoint: endpoint.predictAddress };
}
