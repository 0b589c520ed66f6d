/**
 * What the cloud would compute for a resource: ids, names, e-mails, self links.
 * The mock runtime returns only what `newResource` puts in `state`, so an `apply` on
 * a provider-computed output (a topic's id, a service agent's e-mail) never runs
 * unless it is faked here. Values follow the real formats, so a key id looks like
 * `projects/p/locations/us/keyRings/r/cryptoKeys/k` and dependants can be checked.
 */

/** A fake project number, the one the fake service agents' e-mails carry. */
export const FAKE_PROJECT_NUMBER = "123456789012";

type Inputs = Record<string, unknown>;
type FakeOutputs = (name: string, inputs: Inputs, project: string) => Inputs;

const str = (v: unknown, fallback: string): string => (typeof v === "string" && v !== "" ? v : fallback);

/** Service agent domains by API, as Google names them. */
const AGENT_DOMAINS: Record<string, string> = {
  "pubsub.googleapis.com": "gcp-sa-pubsub.iam.gserviceaccount.com",
  "bigtableadmin.googleapis.com": "gcp-sa-bigtable.iam.gserviceaccount.com",
  "aiplatform.googleapis.com": "gcp-sa-aiplatform.iam.gserviceaccount.com",
  "artifactregistry.googleapis.com": "gcp-sa-artifactregistry.iam.gserviceaccount.com",
  "run.googleapis.com": "serverless-robot-prod.iam.gserviceaccount.com",
  "monitoring.googleapis.com": "gcp-sa-monitoring-notification.iam.gserviceaccount.com",
};

/** The service agent e-mail of an API in the fake project. */
export function fakeAgentEmail(service: string): string {
  const domain = AGENT_DOMAINS[service] ?? `gcp-sa-${service.split(".")[0]}.iam.gserviceaccount.com`;
  return `service-${FAKE_PROJECT_NUMBER}@${domain}`;
}

/** A stable numeric id derived from a name, for resources whose ids are numbers. */
function fakeNumber(seed: string): string {
  let hash = 7;
  for (const ch of seed) hash = (hash * 31 + ch.charCodeAt(0)) % 1_000_000_007;
  return String(1_000_000_000 + hash);
}

/** A PSC forwarding rule address in the VPC's range, stable per endpoint. */
export function fakePscAddress(endpoint: string): string {
  const n = Number(fakeNumber(endpoint)) % 250;
  return `10.10.${n}.${(n % 200) + 10}`;
}

const computeLink = (path: string) => `https://www.googleapis.com/compute/v1/${path}`;

/** Provider-computed outputs per type token; types not listed get `name` and `id` only. */
const FAKES: Record<string, FakeOutputs> = {
  "gcp:kms/keyRing:KeyRing": (name, i, p) => ({
    id: `projects/${p}/locations/${str(i.location, "global")}/keyRings/${str(i.name, name)}`,
  }),
  "gcp:kms/cryptoKey:CryptoKey": (name, i) => ({
    id: `${str(i.keyRing, "keyRing")}/cryptoKeys/${str(i.name, name)}`,
  }),
  "gcp:projects/serviceIdentity:ServiceIdentity": (_n, i) => {
    const service = str(i.service, "unknown.googleapis.com");
    // As strict as the API: it may return no e-mail (the provider then leaves email and member
    // empty; magic-modules resource_project_service_identity.go). Artifact Registry's is the
    // one the platform relies on that way, so the fake returns none for it.
    if (service === "artifactregistry.googleapis.com") return { email: "", member: "" };
    const email = fakeAgentEmail(service);
    return { email, member: `serviceAccount:${email}` };
  },
  "gcp:serviceaccount/account:Account": (name, i, p) => {
    const email = `${str(i.accountId, name)}@${p}.iam.gserviceaccount.com`;
    return { email, member: `serviceAccount:${email}`, uniqueId: "100000000000000000001" };
  },
  "gcp:pubsub/topic:Topic": (name, i, p) => ({ id: `projects/${p}/topics/${str(i.name, name)}` }),
  "gcp:pubsub/subscription:Subscription": (name, i, p) => ({
    id: `projects/${p}/subscriptions/${str(i.name, name)}`,
  }),
  "gcp:compute/network:Network": (name, i, p) => {
    const path = `projects/${p}/global/networks/${str(i.name, name)}`;
    return { id: path, selfLink: computeLink(path) };
  },
  "gcp:compute/subnetwork:Subnetwork": (name, i, p) => {
    const path = `projects/${p}/regions/${str(i.region, "region")}/subnetworks/${str(i.name, name)}`;
    return { id: path, selfLink: computeLink(path), gatewayAddress: "10.0.0.1" };
  },
  "gcp:compute/globalAddress:GlobalAddress": (name, i, p) => {
    const path = `projects/${p}/global/addresses/${str(i.name, name)}`;
    return { id: path, selfLink: computeLink(path) };
  },
  "gcp:compute/firewall:Firewall": (name, i, p) => {
    const path = `projects/${p}/global/firewalls/${str(i.name, name)}`;
    return { id: path, selfLink: computeLink(path) };
  },
  "gcp:dns/managedZone:ManagedZone": (name, i, p) => ({
    id: `projects/${p}/managedZones/${str(i.name, name)}`,
    nameServers: [],
  }),
  "gcp:bigtable/instance:Instance": (name, i, p) => ({ id: `projects/${p}/instances/${str(i.name, name)}` }),
  "gcp:bigtable/table:Table": (name, i, p) => ({
    id: `projects/${p}/instances/${str(i.instanceName, "instance")}/tables/${str(i.name, name)}`,
  }),
  "gcp:bigquery/dataset:Dataset": (name, i, p) => ({
    id: `projects/${p}/datasets/${str(i.datasetId, name)}`,
    selfLink: `https://bigquery.googleapis.com/bigquery/v2/projects/${p}/datasets/${str(i.datasetId, name)}`,
  }),
  "gcp:bigquery/table:Table": (name, i, p) => ({
    id: `projects/${p}/datasets/${str(i.datasetId, "dataset")}/tables/${str(i.tableId, name)}`,
  }),
  "gcp:artifactregistry/repository:Repository": (name, i, p) => ({
    id: `projects/${p}/locations/${str(i.location, "us")}/repositories/${str(i.repositoryId, name)}`,
  }),
  // Serving, worker and observability (added by the serving/observability engineer).
  "gcp:vertex/aiEndpoint:AiEndpoint": (name, i, p) => ({
    id: `projects/${p}/locations/${str(i.location, "region")}/endpoints/${str(i.name, name)}`,
  }),
  "pulumi-nodejs:dynamic/vertex:ModelDeployment": (_n, i, p) => ({
    id: `${str(i.endpoint, "endpoint")}/deployedModels/${fakeNumber(str(i.artifactUri, ""))}`,
    model: `projects/${p}/locations/${str(i.location, "region")}/models/${fakeNumber(str(i.artifactUri, "") + "m")}`,
    modelVersionId: "1",
    deployedModelId: fakeNumber(str(i.artifactUri, "")),
    // The serving address Vertex reports per endpoint type (see modelDeployment/servingAddress.ts).
    ...(i.connectivity === "psc" ? { pscAddress: fakePscAddress(str(i.endpoint, "endpoint")) } : {}),
    ...(i.connectivity === "peering"
      ? {
          predictHttpUri: `http://${str(i.endpoint, "endpoint").split("/").pop()}.aiplatform.googleapis.com/v1/models/${fakeNumber(str(i.artifactUri, ""))}:predict`,
        }
      : {}),
  }),
  // The same deployment served by the package's plugin (another language's program).
  "streaming-inference:index:ModelDeployment": (n, i, p) =>
    FAKES["pulumi-nodejs:dynamic/vertex:ModelDeployment"]!(n, i, p),
  "docker:index/image:Image": (_n, i) => {
    const repo = str(i.imageName, "image").replace(/:[^:/]+$/, "");
    return {
      repoDigest: `${repo}@sha256:${"0123456789abcdef".repeat(4)}`,
      baseImageName: str(i.imageName, "image"),
    };
  },
  "gcp:cloudrunv2/workerPool:WorkerPool": (name, i, p) => ({
    id: `projects/${p}/locations/${str(i.location, "region")}/workerPools/${str(i.name, name)}`,
    uid: "00000000-0000-4000-8000-000000000000",
  }),
  // The backlog autoscaler's configuration (Parameter Manager, global).
  "gcp:parametermanager/parameter:Parameter": (name, i, p) => {
    const path = `projects/${p}/locations/global/parameters/${str(i.parameterId, name)}`;
    return { id: path, name: path };
  },
  "gcp:parametermanager/parameterVersion:ParameterVersion": (name, i) => {
    const path = `${str(i.parameter, "parameter")}/versions/${str(i.parameterVersionId, name)}`;
    return { id: path, name: path };
  },
  "gcp:monitoring/notificationChannel:NotificationChannel": (name, _i, p) => {
    const path = `projects/${p}/notificationChannels/${fakeNumber(name)}`;
    return { id: path, name: path };
  },
  "gcp:monitoring/genericService:GenericService": (name, i) => {
    const path = `projects/${FAKE_PROJECT_NUMBER}/services/${str(i.serviceId, name)}`;
    return { id: path, name: path };
  },
  "gcp:monitoring/slo:Slo": (name, i, p) => {
    const path = `projects/${FAKE_PROJECT_NUMBER}/services/${str(i.service, "service")}/serviceLevelObjectives/${str(i.sloId, name)}`;
    return { id: path, name: path, project: p };
  },
  "gcp:monitoring/alertPolicy:AlertPolicy": (name, _i, p) => {
    const path = `projects/${p}/alertPolicies/${fakeNumber(name)}`;
    return { id: path, name: path };
  },
  "gcp:monitoring/metricDescriptor:MetricDescriptor": (name, i, p) => {
    const path = `projects/${p}/metricDescriptors/${str(i.type, name)}`;
    return { id: path, name: path, monitoredResourceTypes: [] };
  },
  "gcp:monitoring/dashboard:Dashboard": (name) => ({
    id: `projects/${FAKE_PROJECT_NUMBER}/dashboards/${fakeNumber(name)}`,
  }),
};

/**
 * The state the fake cloud returns for a new resource: its inputs, plus the
 * provider-computed outputs of its type, plus `name` when the program left it to the provider.
 */
export function fakeState(
  type: string,
  name: string,
  inputs: Inputs,
  project: string,
): { id: string; state: Inputs } {
  const p = str(inputs.project, project);
  const computed = FAKES[type]?.(name, inputs, p) ?? {};
  const id = str(computed.id, `${name}-id`);
  return {
    id,
    state: { ...inputs, name: inputs.name ?? name, project: p, ...computed, id },
  };
}

/**
 * Answers of the provider functions (invokes) the components call. `liveWorkerPools`
 * (pool name -> manual instance count) are the pools that already exist; any other pool
 * is not found, with the provider's message (magic-modules data_source_google_cloud_run_
 * v2_worker_pool.go: "<id> not found").
 */
export function fakeCall(
  token: string,
  inputs: Inputs,
  project: string,
  liveWorkerPools: Readonly<Record<string, number>> = {},
): Inputs {
  const p = str(inputs.project, project);
  switch (token) {
    case "gcp:cloudrunv2/getWorkerPool:getWorkerPool": {
      const name = str(inputs.name, "");
      const id = `projects/${p}/locations/${str(inputs.location, "")}/workerPools/${name}`;
      const count = liveWorkerPools[name];
      // As a gRPC error: the runtime rethrows an invoke failure with the engine's `details`.
      if (count === undefined)
        throw Object.assign(new Error(`${id} not found`), { details: `${id} not found` });
      return { ...inputs, id, project: p, scalings: [{ manualInstanceCount: count }] };
    }
    case "gcp:bigquery/getDefaultServiceAccount:getDefaultServiceAccount": {
      const email = `bq-${FAKE_PROJECT_NUMBER}@bigquery-encryption.iam.gserviceaccount.com`;
      return { id: p, project: p, email, member: `serviceAccount:${email}` };
    }
    case "gcp:organizations/getProject:getProject":
      return { id: `projects/${p}`, projectId: p, number: FAKE_PROJECT_NUMBER, name: p, labels: {} };
    case "gcp:organizations/getClientConfig:getClientConfig":
      return { id: p, project: p, region: "", zone: "", accessToken: "fake-token" };
    default:
      return inputs;
  }
}
