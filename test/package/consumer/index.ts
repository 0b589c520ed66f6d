/**
 * A consumer's stack program: the platform from the package, with the same stack config
 * keys as this repository's stacks. `consumer-stack:workerImageUri`, when set, deploys a
 * prebuilt worker image instead of building the one the package ships.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { StreamingInferencePlatform, loadPlatformConfig, topologyOf } from "streaming-inference";

const config = loadPlatformConfig();
const topology = topologyOf(config);
const imageUri = new pulumi.Config().get("workerImageUri");
const provider = new gcp.Provider("gcp", {
  project: config.projectId,
  region: topology.regions[0],
  defaultLabels: topology.labels,
});
const platform = new StreamingInferencePlatform(
  topology.prefix,
  { config, workerImage: imageUri === undefined ? undefined : { imageUri } },
  { providers: [provider] },
);

export const eventsTopic = platform.eventsTopic;
export const workerImage = platform.workerImage;
