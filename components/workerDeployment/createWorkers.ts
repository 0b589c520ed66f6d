/**
 * The workers: one `InferenceWorker` per consuming region, each reading its region's
 * events subscription, calling its region's endpoint and publishing predictions.
 */
import * as pulumi from "@pulumi/pulumi";
import { maxRequestBytesFor } from "../../contract";
import { pscTlsFor } from "../../contract/psc";
import { workerScalingOf, type PlatformConfig, type Topology } from "../config";
import type { DataPlane } from "../dataPlane";
import type { DeadLetterTopic } from "../messaging";
import type { InferenceEndpoint } from "../serving";
import { PredictProtocol } from "../serving/endpointAccess";
import { InferenceWorker } from "./inferenceWorker";
import type { InferenceWorkerSettings } from "./workerEnvironment";

/** Region -> its worker. */
export type Workers = Map<string, InferenceWorker>;

export interface WorkersInput {
  /** The worker image by digest. */
  image: pulumi.Input<string>;
  /** Region -> endpoint: every worker region needs one. */
  endpoints: ReadonlyMap<string, InferenceEndpoint>;
  /** Where the worker dead-letters events it cannot use. */
  deadLetter: DeadLetterTopic;
  /** Model id the worker stamps on each prediction. Defaults to `config.model.displayName`. */
  modelId?: string;
}

/**
 * Declares a worker per consuming region, named `<name>-worker-<region>`, children of
 * `parent`. A worker region without an endpoint, subscription or subnet is a
 * `ResourceError` on `parent`.
 */
export function createWorkers(
  name: string,
  config: PlatformConfig,
  topology: Topology,
  data: Pick<DataPlane, "encryption" | "network" | "events" | "predictions" | "featureStore">,
  input: WorkersInput,
  parent: pulumi.Resource,
): Workers {
  const { worker, model } = config;
  const connectivity = config.endpoint.connectivity;
  return new Map(
    topology.workerRegions.map((region) => {
      const endpoint = input.endpoints.get(region);
      const subscription = data.events.subscriptionNames[region];
      const subnetwork = data.network.subnetIds[region];
      if (!endpoint || !subscription || !subnetwork) {
        throw new pulumi.ResourceError(
          `StreamingInferencePlatform: worker region ${region} lacks an endpoint, subscription or subnet; ` +
            `every worker region must be one of the configured regions (${topology.regions.join(", ")})`,
          parent,
        );
      }
      const key = data.encryption.keyFor("run", region);
      const settings: InferenceWorkerSettings = {
        projectId: config.projectId,
        region,
        subscription,
        predictionsTopic: data.predictions.topicName,
        deadLetterTopic: input.deadLetter.topicName,
        bigtableInstance: data.featureStore.instanceId,
        bigtableTable: data.featureStore.tableId,
        bigtableAppProfile: data.featureStore.appProfileId,
        vertexEndpointId: endpoint.endpointId,
        vertexLocation: region,
        // The address and protocol come from the endpoint's outputs (HTTP: a predict URL,
        // on PSC or peering; gRPC: host:port of the PSC address).
        ...workerRouteOf(endpoint, config.endpoint.predictProtocol),
        // PSC: how the worker checks the endpoint's self-signed certificate (contract/psc.ts).
        ...pscTlsFor(config.endpoint.connectivity, config.endpoint.pscCertificate),
        maxRequestBytes: maxRequestBytesFor(connectivity),
        modelId: input.modelId ?? model.displayName,
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
          missingFeatures: model.missingFeatures,
        },
      };
      const instance = new InferenceWorker(
        `${name}-worker-${region}`,
        {
          prefix: topology.prefix,
          settings,
          image: input.image,
          subnetwork,
          kmsKeyName: key.id,
          kmsKeyGrant: key.grant,
          scaling: workerScalingOf(config),
          cpu: worker.cpu,
          memory: worker.memory,
          labels: topology.labels,
        },
        { parent },
      );
      return [region, instance] as const;
    }),
  );
}

/** The worker's Vertex route env from an endpoint's outputs (the config checked peering takes http). */
function workerRouteOf(
  endpoint: InferenceEndpoint,
  protocol: PredictProtocol,
): Pick<InferenceWorkerSettings, "vertexProtocol" | "vertexApiEndpoint" | "vertexPredictUrl"> {
  return protocol === PredictProtocol.Http
    ? { vertexProtocol: endpoint.predictProtocol, vertexPredictUrl: endpoint.predictAddress }
    : { vertexProtocol: endpoint.predictProtocol, vertexApiEndpoint: endpoint.predictAddress };
}
