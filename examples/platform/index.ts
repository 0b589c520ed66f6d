/**
 * Example: a stack that uses the package by name. The whole platform from a typed
 * settings object, plus one building block on its own: a "feedback" channel (topic,
 * per-region subscription, dead letters, CMEK) for labels coming back from reviewers.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import {
  Encryption,
  MessageChannel,
  ServiceAgents,
  StreamingInferencePlatform,
  type PlatformSettings,
} from "streaming-inference";

const cfg = new pulumi.Config();
const projectId = cfg.require("projectId");
// Made once at stack init (`pulumi config set deploymentId $(openssl rand -hex 3)`): key rings are never deleted.
const deploymentId = cfg.require("deploymentId");
const regions = ["us-central1", "us-east1"];

const settings: PlatformSettings = {
  projectId,
  environment: "staging",
  namePrefix: "si-example",
  deploymentId,
  regions,
  activeRegion: cfg.get("activeRegion") ?? "us-central1",
  labels: { team: "ml-platform", "cost-center": "cc-4410" },
  model: {
    displayName: "fraud-scorer",
    artifactUri: cfg.require("modelArtifactUri"),
    servingImage: cfg.require("servingImage"),
    machineType: "n1-standard-4",
    acceleratorType: "NVIDIA_TESLA_T4",
    minReplicas: 1,
    maxReplicas: 2,
  },
  alerts: { notificationEmails: [cfg.require("oncallEmail")] },
};

const provider = new gcp.Provider("gcp", { project: projectId, region: regions[0] });
const platform = new StreamingInferencePlatform(
  "si-example",
  { config: settings },
  { providers: [provider] },
);

// A building block on its own: its own key (Pub/Sub's agent may use only that key) and channel.
const agents = new ServiceAgents(
  "feedback-agents",
  { project: projectId, services: ["pubsub"] },
  { provider },
);
const encryption = new Encryption(
  "feedback-cmek",
  {
    project: projectId,
    prefix: "si-example-feedback",
    deploymentId,
    regions,
    sharedLocation: "us",
    analyticsLocation: "US",
    agents,
    services: ["pubsub"],
  },
  { provider },
);
const feedback = new MessageChannel(
  "feedback",
  {
    project: projectId,
    prefix: "si-example",
    channel: "feedback",
    kmsKey: encryption.keyFor("pubsub", "us"),
    pubsubAgentMember: agents.member("pubsub"),
    storageRegions: regions,
    subscriptionRegions: [regions[0]!],
  },
  { provider },
);

export const eventsTopic = platform.eventsTopic;
export const predictionsTopic = platform.predictionsTopic;
export const eventsSubscriptions = platform.eventsSubscriptions;
export const endpointIds = platform.endpointIds;
export const dashboardUrl = platform.dashboardUrl;
export const feedbackTopic = feedback.topicName;
export const feedbackSubscriptions = feedback.subscriptionNames;
