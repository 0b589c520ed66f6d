/**
 * The data plane of the platform from its validated config: network, keys, the
 * events and predictions channels, the feature store and the analytics sink, wired
 * so each encrypted resource waits for its key grant. The serving side (endpoint,
 * worker, alerts) builds on what this returns.
 */
import type * as pulumi from "@pulumi/pulumi";
import { CHANNELS } from "../../contract";
import type { PlatformConfig, Topology } from "../config";
import { AnalyticsSink } from "../analytics";
import { Encryption, ServiceAgents, kmsLocationOf } from "../encryption";
import { FeatureStore } from "../featureStore";
import { MessageChannel } from "../messaging";
import { PrivateNetwork } from "../network";

export interface DataPlane {
  agents: ServiceAgents;
  encryption: Encryption;
  network: PrivateNetwork;
  /** Events in: a pull subscription per region (the standby one retains for fail-over). */
  events: MessageChannel;
  /** Predictions out: downstream consumers subscribe; the analytics sink is one of them. */
  predictions: MessageChannel;
  featureStore: FeatureStore;
  analytics: AnalyticsSink;
}

/**
 * Declares the data plane. `opts` is applied to every top-level component: pass
 * `{ parent }` from a platform component, or `{ provider }` from a stack program.
 */
export function createDataPlane(
  config: PlatformConfig,
  topology: Topology,
  opts: pulumi.ComponentResourceOptions = {},
): DataPlane {
  const { prefix, labels, regions, sharedKeyLocation } = topology;
  const project = config.projectId;
  const messaging = config.messaging;

  const agents = new ServiceAgents(`${prefix}-agents`, { project }, opts);
  const encryption = new Encryption(
    `${prefix}-cmek`,
    {
      project,
      prefix,
      deploymentId: topology.deploymentId,
      regions,
      sharedLocation: sharedKeyLocation,
      analyticsLocation: topology.analyticsLocation,
      agents,
      labels,
      protect: topology.deletionProtection,
    },
    opts,
  );
  const network = new PrivateNetwork(
    `${prefix}-network`,
    {
      project,
      prefix,
      subnetCidrs: topology.subnetCidrs,
      privateServicesCidr: config.network.privateServicesCidr,
      labels,
      vertexPrivateServiceConnect: config.endpoint.connectivity === "psc",
    },
    opts,
  );

  const pubsubKey = encryption.keyFor("pubsub", sharedKeyLocation);
  const channel = (name: string, subscriptionRegions: readonly string[]) =>
    new MessageChannel(
      `${prefix}-${name}`,
      {
        project,
        prefix,
        channel: name,
        kmsKey: pubsubKey,
        pubsubAgentMember: agents.member("pubsub"),
        storageRegions: regions,
        subscriptionRegions,
        ackDeadlineSeconds: messaging.ackDeadlineSeconds,
        maxDeliveryAttempts: messaging.maxDeliveryAttempts,
        minimumBackoffSeconds: messaging.minimumBackoffSeconds,
        maximumBackoffSeconds: messaging.maximumBackoffSeconds,
        messageRetentionSeconds: messaging.messageRetentionSeconds,
        enforceInTransit: messaging.enforceInTransit,
        labels,
      },
      opts,
    );
  // Every region gets an events subscription, also in standby mode: the standby one
  // accumulates (never expires) so a fail-over resumes where the topic is, not empty.
  const events = channel(CHANNELS.events, regions);
  const predictions = channel(CHANNELS.predictions, []);

  const featureStore = new FeatureStore(
    `${prefix}-features`,
    {
      project,
      instanceId: `${prefix}-features`,
      clusterKeys: Object.fromEntries(regions.map((r) => [r, encryption.keyFor("bigtable", r)])),
      minNodes: config.featureStore.minNodes,
      maxNodes: config.featureStore.maxNodes,
      cpuTargetPercent: config.featureStore.cpuTargetPercent,
      storageType: config.featureStore.storageType,
      featureMaxAgeDays: config.featureStore.featureMaxAgeDays,
      deletionProtection: topology.deletionProtection,
      labels,
    },
    opts,
  );

  const analytics = new AnalyticsSink(
    `${prefix}-analytics`,
    {
      project,
      prefix,
      location: topology.analyticsLocation,
      kmsKey: encryption.keyFor("bigquery", kmsLocationOf(topology.analyticsLocation)),
      predictionsTopicId: predictions.topicId,
      deadLetterKmsKey: pubsubKey,
      storageRegions: regions,
      enforceInTransit: messaging.enforceInTransit,
      pubsubAgentMember: agents.member("pubsub"),
      partitionExpirationDays: config.analytics.partitionExpirationDays,
      deletionProtection: topology.deletionProtection,
      maxDeliveryAttempts: messaging.maxDeliveryAttempts,
      minimumBackoffSeconds: messaging.minimumBackoffSeconds,
      maximumBackoffSeconds: messaging.maximumBackoffSeconds,
      messageRetentionSeconds: messaging.messageRetentionSeconds,
      labels,
    },
    opts,
  );

  return { agents, encryption, network, events, predictions, featureStore, analytics };
}
