/**
 * The stack program: the typed stack config -> the platform on Google Cloud.
 * `pulumi up` runs this with Pulumi.<stack>.yaml; `npm run plan` renders it offline.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import {
  ConfigError,
  StreamingInferencePlatform,
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
const platform = new StreamingInferencePlatform(topology.prefix, { config }, { providers: [provider] });

export const projectId = config.projectId;
export const activeRegion = platform.activeRegion;
export const eventsTopic = platform.eventsTopic;
export const eventsSubscriptions = platform.eventsSubscriptions;
export const eventsDeadLetterTopic = platform.eventsDeadLetterTopic;
export const predictionsTopic = platform.predictionsTopic;
export const endpointIds = platform.endpointIds;
export const workerPools = platform.workerPools;
export const workerImage = platform.workerImage;
export const bigtableInstanceId = platform.bigtableInstance;
export const bigtableTableId = platform.bigtableTable;
export const analyticsDatasetId = platform.datasetId;
export const predictionsTable = platform.predictionsTable;
export const dashboardUrl = platform.dashboardUrl;
