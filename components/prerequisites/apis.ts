/**
 * The Google APIs the platform uses: one per resource type it creates (the API that type's
 * provider resource calls, from the resource's "API documentation" link in @pulumi/gcp, i.e.
 * magic-modules mmv1/products/<product>/product.yaml `base_url`), plus what the running services
 * call. The stack enables them itself (ProjectApis) and every resource waits for its API.
 */

/** Resource type -> the API its create/update calls go to. */
export const API_OF_TYPE: Readonly<Record<string, string>> = {
  "gcp:kms/keyRing:KeyRing": "cloudkms.googleapis.com",
  "gcp:kms/cryptoKey:CryptoKey": "cloudkms.googleapis.com",
  "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": "cloudkms.googleapis.com",
  "gcp:monitoring/notificationChannel:NotificationChannel": "monitoring.googleapis.com",
  "gcp:monitoring/genericService:GenericService": "monitoring.googleapis.com",
  "gcp:monitoring/metricDescriptor:MetricDescriptor": "monitoring.googleapis.com",
  "gcp:monitoring/slo:Slo": "monitoring.googleapis.com",
  "gcp:monitoring/alertPolicy:AlertPolicy": "monitoring.googleapis.com",
  "gcp:monitoring/dashboard:Dashboard": "monitoring.googleapis.com",
  "gcp:compute/network:Network": "compute.googleapis.com",
  "gcp:compute/globalAddress:GlobalAddress": "compute.googleapis.com",
  "gcp:compute/route:Route": "compute.googleapis.com",
  "gcp:compute/subnetwork:Subnetwork": "compute.googleapis.com",
  "gcp:compute/firewall:Firewall": "compute.googleapis.com",
  "gcp:serviceaccount/account:Account": "iam.googleapis.com",
  "gcp:serviceaccount/iAMMember:IAMMember": "iam.googleapis.com",
  "gcp:parametermanager/parameter:Parameter": "parametermanager.googleapis.com",
  "gcp:parametermanager/parameterVersion:ParameterVersion": "parametermanager.googleapis.com",
  "gcp:projects/iAMMember:IAMMember": "cloudresourcemanager.googleapis.com",
  "gcp:dns/managedZone:ManagedZone": "dns.googleapis.com",
  "gcp:dns/recordSet:RecordSet": "dns.googleapis.com",
  "gcp:servicenetworking/connection:Connection": "servicenetworking.googleapis.com",
  "gcp:pubsub/topic:Topic": "pubsub.googleapis.com",
  "gcp:pubsub/topicIAMMember:TopicIAMMember": "pubsub.googleapis.com",
  "gcp:pubsub/subscription:Subscription": "pubsub.googleapis.com",
  "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember": "pubsub.googleapis.com",
  "gcp:bigquery/dataset:Dataset": "bigquery.googleapis.com",
  "gcp:bigquery/table:Table": "bigquery.googleapis.com",
  "gcp:bigquery/iamMember:IamMember": "bigquery.googleapis.com",
  "gcp:artifactregistry/repository:Repository": "artifactregistry.googleapis.com",
  "gcp:bigtable/instance:Instance": "bigtableadmin.googleapis.com",
  "gcp:bigtable/table:Table": "bigtableadmin.googleapis.com",
  "gcp:bigtable/instanceIamMember:InstanceIamMember": "bigtableadmin.googleapis.com",
  "gcp:bigtable/appProfile:AppProfile": "bigtableadmin.googleapis.com",
  "gcp:bigtable/gCPolicy:GCPolicy": "bigtableadmin.googleapis.com",
  "gcp:vertex/aiEndpoint:AiEndpoint": "aiplatform.googleapis.com",
  "gcp:vertex/aiEndpointIamMember:AiEndpointIamMember": "aiplatform.googleapis.com",
  "gcp:cloudrunv2/workerPool:WorkerPool": "run.googleapis.com",
  "gcp:cloudrunv2/workerPoolIamMember:WorkerPoolIamMember": "run.googleapis.com",
  "gcp:cloudrunv2/service:Service": "run.googleapis.com",
  // The worker image is pushed to the Artifact Registry repository.
  "docker:index/image:Image": "artifactregistry.googleapis.com",
  // Our dynamic provider calls Vertex AI's EndpointService (DeployModel, UndeployModel).
  "pulumi-nodejs:dynamic/vertex:ModelDeployment": "aiplatform.googleapis.com",
  "streaming-inference:index:ModelDeployment": "aiplatform.googleapis.com",
  "gcp:networkconnectivity/serviceConnectionPolicy:ServiceConnectionPolicy":
    "networkconnectivity.googleapis.com",
};

/**
 * `gcp.projects.ServiceIdentity` asks Service Usage for the service agent of the API it names
 * (`services/{service}:generateServiceIdentity`), so it waits for that API.
 */
export const SERVICE_IDENTITY_TYPE = "gcp:projects/serviceIdentity:ServiceIdentity";

/** The type of the resources that enable APIs; they depend on nothing here. */
export const PROJECT_SERVICE_TYPE = "gcp:projects/service:Service";

/**
 * APIs the running platform calls that no resource implies: the worker exports its metrics over
 * OTLP to telemetry.googleapis.com (docs/observability.md), Cloud Run writes its logs to Cloud Logging,
 * and the worker reads features through Bigtable's data API, a service apart from the admin API the
 * resources use (bigtable.googleapis.com vs bigtableadmin.googleapis.com: https://cloud.google.com/bigtable/docs/apis;
 * @google-cloud/bigtable's v2 BigtableClient connects to `bigtable.<universe domain>`).
 */
export const RUNTIME_APIS: readonly string[] = [
  "telemetry.googleapis.com",
  "logging.googleapis.com",
  "bigtable.googleapis.com",
];

/**
 * APIs the deploying identity must find enabled before the first `up`: enabling an API is a
 * Service Usage call ("services.enable", serviceusage.googleapis.com), and the provider reads the
 * project through Resource Manager. The stack cannot enable these for itself.
 */
export const BOOTSTRAP_APIS: readonly string[] = [
  "serviceusage.googleapis.com",
  "cloudresourcemanager.googleapis.com",
];

/** The API a resource of `type` (with inputs `props`) waits for; undefined for components and providers. */
export function apiOf(type: string, props: Record<string, unknown>): string | undefined {
  if (type === SERVICE_IDENTITY_TYPE) return typeof props.service === "string" ? props.service : undefined;
  return API_OF_TYPE[type];
}

/** Whether the platform creates no API-backed resource of this type (components, providers, the enabling services). */
export function needsNoApi(type: string): boolean {
  return type === PROJECT_SERVICE_TYPE || type.startsWith("pulumi:providers:") || !type.includes("/");
}

/** Every API a set of resources needs (theirs, the runtime's and the bootstrap ones), sorted. */
export function apisFor(resources: readonly { type: string; inputs: Record<string, unknown> }[]): string[] {
  const apis = new Set<string>([...RUNTIME_APIS, ...BOOTSTRAP_APIS]);
  for (const r of resources) {
    const api = apiOf(r.type, r.inputs);
    if (api) apis.add(api);
  }
  return [...apis].sort();
}
