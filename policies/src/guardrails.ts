/** The list of the platform's guardrails, in the order they are reported. */
import type { Policies } from "@pulumi/policy";
import { cmekKeyLocation, cmekRequired, cmekTableKeyLocation } from "./cmek";
import {
  bigquerySubscriptionDeadLetter,
  pubsubRetentionBounded,
  pullSubscriptionDeadLetter,
} from "./deadLetters";
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
  // IAM
  iamNoBasicRoles,
  iamNoPublicMembers,
  iamNoProjectLevelDataRoles,
  // Hygiene
  requiredLabels,
  deletionProtection,
  // Stack: observability
  inputSubscriptionFreshnessAlert,
  deadLetterTopicAlert,
  sloDefined,
  monitoringMetricsExist,
];
