/**
 * The stack program: the typed stack config -> the platform on Google Cloud.
 * `pulumi up` runs this with Pulumi.<stack>.yaml; `npm run plan` renders it offline.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import {
  ConfigError,
  createDataPlane,
  loadPlatformConfig,
  topologyOf,
  type PlatformConfig,
} from "./components";

/** The config, or a clean stop: Pulumi prints a RunError's message without a stack trace. */
function loadConfig(): PlatformConfig {
  try {
    return loadPlatformConfig();
  } catch (err) {
    if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
    throw err;
  }
}

const config = loadConfig();
const topology = topologyOf(config);
// An explicit provider: every resource lands in config.projectId, whatever gcloud's default project is.
// Its default region is the first configured region, never activeRegion: a provider config change can
// replace every resource it manages, and failing over must replace no data-bearing resource.
const provider = new gcp.Provider("gcp", {
  project: config.projectId,
  region: topology.regions[0],
  defaultLabels: topology.labels,
});
const dataPlane = createDataPlane(config, topology, { provider });

export const projectId = config.projectId;
export const activeRegion = topology.activeRegion;
export const eventsTopic = dataPlane.events.topicName;
export const eventsSubscriptions = dataPlane.events.subscriptionNames;
export const eventsDeadLetterTopic = dataPlane.events.deadLetter?.topicName;
export const eventsDeadLetterSubscription = dataPlane.events.deadLetter?.subscriptionName;
export const predictionsTopic = dataPlane.predictions.topicName;
export const bigtableInstanceId = dataPlane.featureStore.instanceId;
export const bigtableTableId = dataPlane.featureStore.tableId;
export const bigtableAppProfileId = dataPlane.featureStore.appProfileId;
export const analyticsDatasetId = dataPlane.analytics.datasetId;
export const predictionsTable = dataPlane.analytics.tableReference;
export const predictionsBigQuerySubscription = dataPlane.analytics.subscriptionName;
export const predictionsDeadLetterTopic = dataPlane.analytics.deadLetter.topicName;
export const networkId = dataPlane.network.networkId;
export const subnetIds = dataPlane.network.subnetIds;
