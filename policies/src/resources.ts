/**
 * The Google Cloud resource types the guardrails read, by Pulumi type token, with the
 * input types of `@pulumi/gcp` (type-only: the pack never loads the provider SDK).
 */
import type * as gcp from "@pulumi/gcp";
import type { Unwrap } from "@pulumi/pulumi";
import {
  MODEL_DEPLOYMENT_TYPE,
  MODEL_DEPLOYMENT_TYPES,
  PACKAGE_MODEL_DEPLOYMENT_TYPE,
} from "../../contract/modelDeployment";

export const GCP = {
  topic: "gcp:pubsub/topic:Topic",
  subscription: "gcp:pubsub/subscription:Subscription",
  bigtableInstance: "gcp:bigtable/instance:Instance",
  bigtableTable: "gcp:bigtable/table:Table",
  dataset: "gcp:bigquery/dataset:Dataset",
  bigqueryTable: "gcp:bigquery/table:Table",
  endpoint: "gcp:vertex/aiEndpoint:AiEndpoint",
  repository: "gcp:artifactregistry/repository:Repository",
  workerPool: "gcp:cloudrunv2/workerPool:WorkerPool",
  cloudRunService: "gcp:cloudrunv2/service:Service",
  cryptoKey: "gcp:kms/cryptoKey:CryptoKey",
  subnetwork: "gcp:compute/subnetwork:Subnetwork",
  instance: "gcp:compute/instance:Instance",
  instanceTemplate: "gcp:compute/instanceTemplate:InstanceTemplate",
  regionInstanceTemplate: "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate",
  instanceFromTemplate: "gcp:compute/instanceFromTemplate:InstanceFromTemplate",
  globalAddress: "gcp:compute/globalAddress:GlobalAddress",
  firewall: "gcp:compute/firewall:Firewall",
  alertPolicy: "gcp:monitoring/alertPolicy:AlertPolicy",
  slo: "gcp:monitoring/slo:Slo",
  dashboard: "gcp:monitoring/dashboard:Dashboard",
  metricDescriptor: "gcp:monitoring/metricDescriptor:MetricDescriptor",
  projectIamMember: "gcp:projects/iAMMember:IAMMember",
  projectIamBinding: "gcp:projects/iAMBinding:IAMBinding",
  projectIamPolicy: "gcp:projects/iAMPolicy:IAMPolicy",
  datasetAccess: "gcp:bigquery/datasetAccess:DatasetAccess",
  parameterVersion: "gcp:parametermanager/parameterVersion:ParameterVersion",
} as const;

/** The serving component's dynamic resource; its token is part of contract/modelDeployment.ts. */
export const MODEL_DEPLOYMENT = MODEL_DEPLOYMENT_TYPE;
/** Both tokens of a model deployment: the dynamic resource (TypeScript programs) and the plugin's resource. */
export const MODEL_DEPLOYMENTS = MODEL_DEPLOYMENT_TYPES;

/** The `@pulumi/gcp` args interface of each type token the policies read. */
export interface GcpArgs {
  [GCP.topic]: gcp.pubsub.TopicArgs;
  [GCP.subscription]: gcp.pubsub.SubscriptionArgs;
  [GCP.bigtableInstance]: gcp.bigtable.InstanceArgs;
  [GCP.bigtableTable]: gcp.bigtable.TableArgs;
  [GCP.dataset]: gcp.bigquery.DatasetArgs;
  [GCP.bigqueryTable]: gcp.bigquery.TableArgs;
  [GCP.endpoint]: gcp.vertex.AiEndpointArgs;
  [GCP.repository]: gcp.artifactregistry.RepositoryArgs;
  [GCP.workerPool]: gcp.cloudrunv2.WorkerPoolArgs;
  [GCP.cloudRunService]: gcp.cloudrunv2.ServiceArgs;
  [GCP.cryptoKey]: gcp.kms.CryptoKeyArgs;
  [GCP.subnetwork]: gcp.compute.SubnetworkArgs;
  [GCP.instance]: gcp.compute.InstanceArgs;
  [GCP.instanceTemplate]: gcp.compute.InstanceTemplateArgs;
  [GCP.regionInstanceTemplate]: gcp.compute.RegionInstanceTemplateArgs;
  [GCP.instanceFromTemplate]: gcp.compute.InstanceFromTemplateArgs;
  [GCP.globalAddress]: gcp.compute.GlobalAddressArgs;
  [GCP.firewall]: gcp.compute.FirewallArgs;
  [GCP.alertPolicy]: gcp.monitoring.AlertPolicyArgs;
  [GCP.slo]: gcp.monitoring.SloArgs;
  [GCP.dashboard]: gcp.monitoring.DashboardArgs;
  [GCP.metricDescriptor]: gcp.monitoring.MetricDescriptorArgs;
  [GCP.projectIamMember]: gcp.projects.IAMMemberArgs;
  [GCP.projectIamBinding]: gcp.projects.IAMBindingArgs;
  [GCP.projectIamPolicy]: gcp.projects.IAMPolicyArgs;
  [GCP.datasetAccess]: gcp.bigquery.DatasetAccessArgs;
  [GCP.parameterVersion]: gcp.parametermanager.ParameterVersionArgs;
}

export type GcpType = keyof GcpArgs;

/** The resolved inputs of a resource of type `K`, as a policy sees them. */
export type PropsOf<K extends GcpType> = Unwrap<GcpArgs[K]>;

/** What a resource policy or stack policy knows about one resource. */
export interface ResourceView {
  type: string;
  name: string;
  // The policy SDK hands props over untyped; `propsOf` narrows them by type token.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  props: Record<string, any>;
}

/** The props of `resource` typed as `type`'s inputs, or undefined when it is another type. */
export function propsOf<K extends GcpType>(resource: ResourceView, type: K): PropsOf<K> | undefined {
  return resource.type === type ? (resource.props as PropsOf<K>) : undefined;
}

const KINDS: Record<string, string> = {
  [GCP.topic]: "Pub/Sub topic",
  [GCP.subscription]: "Pub/Sub subscription",
  [GCP.bigtableInstance]: "Bigtable instance",
  [GCP.bigtableTable]: "Bigtable table",
  [GCP.dataset]: "BigQuery dataset",
  [GCP.bigqueryTable]: "BigQuery table",
  [GCP.endpoint]: "Vertex AI endpoint",
  [GCP.repository]: "Artifact Registry repository",
  [GCP.workerPool]: "Cloud Run worker pool",
  [GCP.cloudRunService]: "Cloud Run service",
  [GCP.cryptoKey]: "KMS key",
  [GCP.subnetwork]: "Subnet",
  [GCP.instance]: "VM instance",
  [GCP.instanceTemplate]: "Instance template",
  [GCP.regionInstanceTemplate]: "Instance template",
  [GCP.instanceFromTemplate]: "VM instance",
  [GCP.globalAddress]: "Global address",
  [GCP.firewall]: "Firewall rule",
  [GCP.alertPolicy]: "Alert policy",
  [GCP.slo]: "SLO",
  [GCP.parameterVersion]: "Parameter version",
  [GCP.dashboard]: "Dashboard",
  [GCP.metricDescriptor]: "Metric descriptor",
  [MODEL_DEPLOYMENT]: "Model deployment",
  [PACKAGE_MODEL_DEPLOYMENT_TYPE]: "Model deployment",
};

/** `Pub/Sub topic "si-prod-events"`: how violation messages name a resource. */
export function describe(resource: { type: string; name: string }): string {
  const kind = KINDS[resource.type] ?? resource.type;
  return `${kind} "${resource.name}"`;
}
