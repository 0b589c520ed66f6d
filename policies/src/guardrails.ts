/** The list of the platform's guardrails, in the order they are reported. */
import type { Policies } from "@pulumi/policy";
import { cmekKeyLocation, cmekRequired, cmekTableKeyLocation } from "./cmek";
import {
  bigquerySubscriptionDeadLetter,
  pubsubRetentionBounded,
  pullSubscriptionDeadLetter,
} from "./deadLetters";
import { autoscalerGrantsPerResource } from "./autoscalerGrants";
import { backlogAutoscalerInputSubscription } from "./backlogAutoscaler";
import { iamNoBasicRoles, iamNoProjectLevelDataRoles, iamNoPublicMembers } from "./iam";
import { kmsKeyRotation } from "./keyRotation";
import { requiredLabels } from "./labels";
import { modelDeploymentAllowedMachine, modelDeploymentScaleCap } from "./modelDeployment";
import { deadLetterTopicAlert, inputSubscriptionFreshnessAlert, sloDefined } from "./monitoring";
import { monitoringMetricsExist } from "./monitoredMetrics";
import {
  firewallNoPublicIngress,
  noExternalIp,
  subnetPrivateGoogleAccess,
  vertexEndpointPrivate,
  workerPoolVpcEgress,
} from "./privateNetworking";
import { deletionProtection } from "./protection";
import { workerPoolInstanceCap } from "./workerPoolCap";

export const PACK_NAME = "streaming-inference-guardrails";

export const platformPolicies: Policies = [
  // Encryption
  cmekRequired,
  cmekKeyLocation,
  cmekTableKeyLocation,
  kmsKeyRotation,
  // Private only
  subnetPrivateGoogleAccess,
  vertexEndpointPrivate,
  workerPoolVpcEgress,
  noExternalIp,
  firewallNoPublicIngress,
  // Messaging
  pullSubscriptionDeadLetter,
  bigquerySubscriptionDeadLetter,
  pubsubRetentionBounded,
  // GPU and cost
  modelDeploymentAllowedMachine,
  modelDeploymentScaleCap,
  workerPoolInstanceCap,
  // IAM
  iamNoBasicRoles,
  iamNoPublicMembers,
  iamNoProjectLevelDataRoles,
  autoscalerGrantsPerResource,
  // Hygiene
  requiredLabels,
  deletionProtection,
  // Stack: observability
  inputSubscriptionFreshnessAlert,
  deadLetterTopicAlert,
  sloDefined,
  monitoringMetricsExist,
  // Stack: scaling
  backlogAutoscalerInputSubscription,
];
