/**
 * The roles a deploying identity needs, derived from the resource types in a rendered plan:
 * one table, type -> roles, each role with the source that says it grants what that type's
 * create/update/setIamPolicy calls need. `npm run plan -- --stack S --roles` prints it; the
 * README and docs/deploying.md are tested against it (test/tools/plan/prerequisites.test.ts).
 */
import type { RecordedResource } from "./mocks";

export interface Role {
  id: string;
  title: string;
  /** Where Google says this role covers these resources. */
  source: string;
}

const IAM_ROLES = "https://cloud.google.com/iam/docs/roles-permissions";

export const ROLES = {
  pubsubAdmin: { id: "roles/pubsub.admin", title: "Pub/Sub Admin", source: `${IAM_ROLES}/pubsub` },
  bigtableAdmin: { id: "roles/bigtable.admin", title: "Bigtable Admin", source: `${IAM_ROLES}/bigtable` },
  bigqueryAdmin: { id: "roles/bigquery.admin", title: "BigQuery Admin", source: `${IAM_ROLES}/bigquery` },
  kmsAdmin: { id: "roles/cloudkms.admin", title: "Cloud KMS Admin", source: `${IAM_ROLES}/cloudkms` },
  networkAdmin: {
    id: "roles/compute.networkAdmin",
    title: "Compute Network Admin",
    source: `${IAM_ROLES}/compute ("networking resources, except for firewall rules and SSL certificates")`,
  },
  securityAdmin: {
    id: "roles/compute.securityAdmin",
    title: "Compute Security Admin",
    source: `${IAM_ROLES}/compute (firewall rules: compute.firewalls.*)`,
  },
  serviceNetworkingAdmin: {
    id: "roles/servicenetworking.networksAdmin",
    title: "Service Networking Admin",
    source: `${IAM_ROLES}/servicenetworking (servicenetworking.services.addPeering)`,
  },
  consumerNetworkAdmin: {
    id: "roles/networkconnectivity.consumerNetworkAdmin",
    title: "Service Automation Consumer Network Admin",
    source: `${IAM_ROLES}/networkconnectivity (networkconnectivity.serviceConnectionPolicies.*)`,
  },
  dnsAdmin: { id: "roles/dns.admin", title: "DNS Administrator", source: `${IAM_ROLES}/dns` },
  vertexAdmin: {
    id: "roles/aiplatform.admin",
    title: "Vertex AI Administrator",
    source: `${IAM_ROLES}/aiplatform`,
  },
  artifactRegistryAdmin: {
    id: "roles/artifactregistry.admin",
    title: "Artifact Registry Administrator",
    source: `${IAM_ROLES}/artifactregistry`,
  },
  runAdmin: { id: "roles/run.admin", title: "Cloud Run Admin", source: `${IAM_ROLES}/run` },
  serviceAccountUser: {
    id: "roles/iam.serviceAccountUser",
    title: "Service Account User",
    source:
      "https://cloud.google.com/run/docs/securing/service-identity (deploying a service or worker pool with an identity needs iam.serviceAccounts.actAs on it)",
  },
  serviceAccountAdmin: {
    id: "roles/iam.serviceAccountAdmin",
    title: "Service Account Admin",
    source: `${IAM_ROLES}/iam`,
  },
  projectIamAdmin: {
    id: "roles/resourcemanager.projectIamAdmin",
    title: "Project IAM Admin",
    source: `${IAM_ROLES}/resourcemanager`,
  },
  serviceUsageAdmin: {
    id: "roles/serviceusage.serviceUsageAdmin",
    title: "Service Usage Admin",
    source: `${IAM_ROLES}/serviceusage (services.enable, generateServiceIdentity)`,
  },
  monitoringEditor: {
    id: "roles/monitoring.editor",
    title: "Monitoring Editor",
    source: `${IAM_ROLES}/monitoring (alert policies, dashboards, services and SLOs, metric descriptors, notification channels)`,
  },
  parameterManagerAdmin: {
    id: "roles/parametermanager.admin",
    title: "Parameter Manager Admin",
    source: `${IAM_ROLES}/parametermanager`,
  },
} as const satisfies Record<string, Role>;

const R = ROLES;

/** Resource type -> the roles its calls need. */
export const ROLES_OF_TYPE: Readonly<Record<string, readonly Role[]>> = {
  "gcp:projects/service:Service": [R.serviceUsageAdmin],
  "gcp:projects/serviceIdentity:ServiceIdentity": [R.serviceUsageAdmin],
  "gcp:projects/iAMMember:IAMMember": [R.projectIamAdmin],
  "gcp:kms/keyRing:KeyRing": [R.kmsAdmin],
  "gcp:kms/cryptoKey:CryptoKey": [R.kmsAdmin],
  "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": [R.kmsAdmin],
  "gcp:monitoring/notificationChannel:NotificationChannel": [R.monitoringEditor],
  "gcp:monitoring/genericService:GenericService": [R.monitoringEditor],
  "gcp:monitoring/metricDescriptor:MetricDescriptor": [R.monitoringEditor],
  "gcp:monitoring/slo:Slo": [R.monitoringEditor],
  "gcp:monitoring/alertPolicy:AlertPolicy": [R.monitoringEditor],
  "gcp:monitoring/dashboard:Dashboard": [R.monitoringEditor],
  "gcp:compute/network:Network": [R.networkAdmin],
  "gcp:compute/globalAddress:GlobalAddress": [R.networkAdmin],
  "gcp:compute/route:Route": [R.networkAdmin],
  "gcp:compute/subnetwork:Subnetwork": [R.networkAdmin],
  "gcp:compute/firewall:Firewall": [R.securityAdmin],
  "gcp:servicenetworking/connection:Connection": [R.serviceNetworkingAdmin],
  "gcp:dns/managedZone:ManagedZone": [R.dnsAdmin],
  "gcp:dns/recordSet:RecordSet": [R.dnsAdmin],
  "gcp:serviceaccount/account:Account": [R.serviceAccountAdmin],
  "gcp:serviceaccount/iAMMember:IAMMember": [R.serviceAccountAdmin],
  "gcp:parametermanager/parameter:Parameter": [R.parameterManagerAdmin],
  "gcp:parametermanager/parameterVersion:ParameterVersion": [R.parameterManagerAdmin],
  "gcp:pubsub/topic:Topic": [R.pubsubAdmin],
  "gcp:pubsub/topicIAMMember:TopicIAMMember": [R.pubsubAdmin],
  "gcp:pubsub/subscription:Subscription": [R.pubsubAdmin],
  "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember": [R.pubsubAdmin],
  "gcp:bigquery/dataset:Dataset": [R.bigqueryAdmin],
  "gcp:bigquery/table:Table": [R.bigqueryAdmin],
  "gcp:bigquery/iamMember:IamMember": [R.bigqueryAdmin],
  "gcp:artifactregistry/repository:Repository": [R.artifactRegistryAdmin],
  "docker:index/image:Image": [R.artifactRegistryAdmin],
  "gcp:bigtable/instance:Instance": [R.bigtableAdmin],
  "gcp:bigtable/table:Table": [R.bigtableAdmin],
  "gcp:bigtable/instanceIamMember:InstanceIamMember": [R.bigtableAdmin],
  "gcp:bigtable/appProfile:AppProfile": [R.bigtableAdmin],
  "gcp:bigtable/gCPolicy:GCPolicy": [R.bigtableAdmin],
  "gcp:vertex/aiEndpoint:AiEndpoint": [R.vertexAdmin],
  "gcp:vertex/aiEndpointIamMember:AiEndpointIamMember": [R.vertexAdmin],
  "pulumi-nodejs:dynamic/vertex:ModelDeployment": [R.vertexAdmin],
  "streaming-inference:index:ModelDeployment": [R.vertexAdmin],
  "gcp:networkconnectivity/serviceConnectionPolicy:ServiceConnectionPolicy": [R.consumerNetworkAdmin],
  // A worker pool or service runs as a service account: deploying it needs actAs on that account.
  "gcp:cloudrunv2/workerPool:WorkerPool": [R.runAdmin, R.serviceAccountUser],
  "gcp:cloudrunv2/workerPoolIamMember:WorkerPoolIamMember": [R.runAdmin],
  "gcp:cloudrunv2/service:Service": [R.runAdmin, R.serviceAccountUser],
};

export interface RoleNeed {
  role: Role;
  /** The plan's resource types that need it, sorted. */
  types: string[];
}

/** The roles a plan needs, sorted by id; throws naming any custom resource type the table lacks. */
export function rolesFor(resources: readonly Pick<RecordedResource, "type" | "custom">[]): RoleNeed[] {
  const needs = new Map<string, RoleNeed>();
  const unknown = new Set<string>();
  for (const r of resources) {
    if (!r.custom || r.type.startsWith("pulumi:providers:")) continue;
    const roles = ROLES_OF_TYPE[r.type];
    if (!roles) {
      unknown.add(r.type);
      continue;
    }
    for (const role of roles) {
      const need = needs.get(role.id) ?? { role, types: [] };
      if (!need.types.includes(r.type)) need.types.push(r.type);
      needs.set(role.id, need);
    }
  }
  if (unknown.size > 0) {
    throw new Error(
      `no roles are known for resource type(s) ${[...unknown].join(", ")}: add them to ROLES_OF_TYPE in tools/plan/roles.ts`,
    );
  }
  return [...needs.values()]
    .map((n) => ({ ...n, types: n.types.sort() }))
    .sort((a, b) => a.role.id.localeCompare(b.role.id));
}

/** The `--roles` listing: one line per role (id, title), the types needing it, the source. */
export function formatRoles(needs: readonly RoleNeed[], apis: readonly string[]): string {
  const lines = [`Roles the deploying identity needs (${needs.length}), from the plan's resource types:`];
  for (const { role, types } of needs) {
    lines.push(
      `  ${role.id}  (${role.title})`,
      `      for: ${types.join(", ")}`,
      `      source: ${role.source}`,
    );
  }
  lines.push(`APIs the stack uses (${apis.length}): ${apis.join(" ")}`);
  return lines.join("\n");
}
