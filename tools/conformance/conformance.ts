/**
 * The plan against Google's own definitions: each resource whose API has a proto in Google's
 * npm clients is mapped from the provider's inputs to the API message, and a field or an enum
 * value the public proto does not have is refused, naming the resource, the field and the proto.
 * JSON strings the API stores as a proto (a dashboard) must also be a fixed point (protoJson.ts).
 *
 * The mapping keeps the provider's renames and flattenings in one table (MAPPINGS), each with its
 * source: magic-modules mmv1/products/<product>/<Resource>.yaml (`api_name`, `flatten_object`,
 * `url_param_only`, `custom_expand`), and the Pulumi bridge, which pluralises list-valued fields
 * (Terraform `env` blocks are `envs` in @pulumi/gcp; types/input.d.ts).
 */
import type { RecordedResource } from "../plan/mocks";
import { canonicalProtoJson, protoRoot, storedJsonProblems } from "./protoJson";

/** A field moved or renamed between the provider's inputs and the API message. */
interface Move {
  /** Dotted path in the provider's inputs; `[]` after a segment walks every element of that list. */
  from: string;
  /** The path it has in the API message, relative to the same parent (dotted: nested). */
  to: string;
  /** Converts the value (e.g. days to a Duration string). */
  convert?: (value: unknown) => unknown;
}

export interface Mapping {
  /** Google client package that ships the proto. */
  pkg: string;
  /** The API message the resource is. */
  message: string;
  /** Provider inputs that are not message fields: URL parameters, provider-only settings. */
  notInMessage: readonly string[];
  moves?: readonly Move[];
  /** Where the renames and URL parameters are read from. */
  source: string;
}

const RUN = (resource: string): Omit<Mapping, "message"> => ({
  pkg: "@google-cloud/run",
  notInMessage: ["project", "location", "name", "deletionProtection"],
  moves: [
    { from: "template.containers[].envs", to: "env" },
    { from: "template.containers[].volumeMounts", to: "volumeMounts" },
  ],
  source: `magic-modules mmv1/products/cloudrunv2/${resource}.yaml (name, location: URL parameters; deletion_protection: provider-only); envs: the Pulumi bridge's plural of env`,
});

export const MAPPINGS: Readonly<Record<string, Mapping>> = {
  "gcp:cloudrunv2/workerPool:WorkerPool": { ...RUN("WorkerPool"), message: "google.cloud.run.v2.WorkerPool" },
  "gcp:cloudrunv2/service:Service": { ...RUN("Service"), message: "google.cloud.run.v2.Service" },
  "gcp:kms/keyRing:KeyRing": {
    pkg: "@google-cloud/kms",
    message: "google.cloud.kms.v1.KeyRing",
    notInMessage: ["project", "location", "name"],
    source: "magic-modules mmv1/products/kms/KeyRing.yaml (name is key_ring_id, a URL parameter)",
  },
  "gcp:kms/cryptoKey:CryptoKey": {
    pkg: "@google-cloud/kms",
    message: "google.cloud.kms.v1.CryptoKey",
    notInMessage: ["keyRing", "name", "skipInitialVersionCreation"],
    source:
      "magic-modules mmv1/products/kms/CryptoKey.yaml (key_ring, name: URL parameters; skip_initial_version_creation: a query parameter)",
  },
  "gcp:pubsub/topic:Topic": {
    pkg: "@google-cloud/pubsub",
    message: "google.pubsub.v1.Topic",
    notInMessage: ["project", "name"],
    source: "magic-modules mmv1/products/pubsub/Topic.yaml (name: URL parameter)",
  },
  "gcp:pubsub/subscription:Subscription": {
    pkg: "@google-cloud/pubsub",
    message: "google.pubsub.v1.Subscription",
    notInMessage: ["project", "name"],
    source: "magic-modules mmv1/products/pubsub/Subscription.yaml (name: URL parameter)",
  },
  "gcp:monitoring/alertPolicy:AlertPolicy": {
    pkg: "@google-cloud/monitoring",
    message: "google.monitoring.v3.AlertPolicy",
    notInMessage: ["project"],
    source: "magic-modules mmv1/products/monitoring/AlertPolicy.yaml",
  },
  "gcp:monitoring/notificationChannel:NotificationChannel": {
    pkg: "@google-cloud/monitoring",
    message: "google.monitoring.v3.NotificationChannel",
    notInMessage: ["project", "forceDelete", "sensitiveLabels"],
    source:
      "magic-modules mmv1/products/monitoring/NotificationChannel.yaml (force_delete: a query parameter; sensitive_labels are merged into labels)",
  },
  "gcp:monitoring/genericService:GenericService": {
    pkg: "@google-cloud/monitoring",
    message: "google.monitoring.v3.Service",
    notInMessage: ["project", "serviceId"],
    source: "magic-modules mmv1/products/monitoring/GenericService.yaml (service_id: a query parameter)",
  },
  "gcp:monitoring/slo:Slo": {
    pkg: "@google-cloud/monitoring",
    message: "google.monitoring.v3.ServiceLevelObjective",
    notInMessage: ["project", "service", "sloId"],
    moves: [
      { from: "rollingPeriodDays", to: "rollingPeriod", convert: (days) => `${Number(days) * 86_400}s` },
      { from: "requestBasedSli", to: "serviceLevelIndicator.requestBased" },
      { from: "windowsBasedSli", to: "serviceLevelIndicator.windowsBased" },
      { from: "basicSli", to: "serviceLevelIndicator.basicSli" },
    ],
    source:
      "magic-modules mmv1/products/monitoring/Slo.yaml (service: url_param_only; slo_id: api_name name; rolling_period_days: api_name rollingPeriod, days_to_duration_string; serviceLevelIndicator: flatten_object; request_based_sli: api_name requestBased; windows_based_sli: api_name windowsBased)",
  },
  "gcp:monitoring/metricDescriptor:MetricDescriptor": {
    pkg: "@google-cloud/monitoring",
    message: "google.api.MetricDescriptor",
    notInMessage: ["project"],
    source: "magic-modules mmv1/products/monitoring/MetricDescriptor.yaml",
  },
  "gcp:vertex/aiEndpoint:AiEndpoint": {
    pkg: "@google-cloud/aiplatform",
    message: "google.cloud.aiplatform.v1.Endpoint",
    notInMessage: ["project", "location", "region", "name"],
    moves: [{ from: "privateServiceConnectConfig.projectAllowlists", to: "projectAllowlist" }],
    source:
      "magic-modules mmv1/products/vertexai/Endpoint.yaml (name is endpoint_id, location: URL parameters); projectAllowlists: the Pulumi bridge's plural of project_allowlist",
  },
};

/** Dashboards are JSON strings the API stores as this proto. */
const STORED_JSON: Readonly<Record<string, { input: string; pkg: string; message: string }>> = {
  "gcp:monitoring/dashboard:Dashboard": {
    input: "dashboardJson",
    pkg: "@google-cloud/monitoring-dashboards",
    message: "google.monitoring.dashboard.v1.Dashboard",
  },
};

export interface Finding {
  /** The resource's logical name and type. */
  resource: string;
  type: string;
  /** The field, as a path in the API message (or the JSON input). */
  field: string;
  message: string;
  /** The proto message checked against, and the package it comes from. */
  proto: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** Applies one move inside `value` (mutated); `segments` is the rest of the `from` path. */
function applyMove(value: unknown, segments: string[], move: Move): void {
  if (!isObject(value)) return;
  const [head, ...rest] = segments;
  if (head === undefined) return;
  const list = head.endsWith("[]");
  const key = list ? head.slice(0, -2) : head;
  if (!(key in value)) return;
  if (rest.length === 0) {
    const moved = move.convert ? move.convert(value[key]) : value[key];
    delete value[key];
    const target = move.to.split(".");
    let at: Record<string, unknown> = value;
    for (const part of target.slice(0, -1)) {
      if (!isObject(at[part])) at[part] = {};
      at = at[part] as Record<string, unknown>;
    }
    at[target.at(-1)!] = moved;
    return;
  }
  const next = value[key];
  if (list && Array.isArray(next)) for (const item of next) applyMove(item, rest, move);
  else applyMove(next, rest, move);
}

/** The provider's inputs as the API message, by the mapping's table. */
export function toApiMessage(inputs: Record<string, unknown>, mapping: Mapping): Record<string, unknown> {
  const message = structuredClone(inputs);
  for (const key of mapping.notInMessage) delete message[key];
  for (const move of mapping.moves ?? []) applyMove(message, move.from.split("."), move);
  return message;
}

/** Everything in the plan the public protos refuse, one finding per field or value. */
export function conformanceFindings(resources: readonly RecordedResource[]): Finding[] {
  const findings: Finding[] = [];
  for (const r of resources) {
    const mapping = MAPPINGS[r.type];
    if (mapping) {
      const { problems } = canonicalProtoJson(
        protoRoot(mapping.pkg),
        mapping.message,
        toApiMessage(r.inputs, mapping),
      );
      for (const p of problems) {
        findings.push({
          resource: r.name,
          type: r.type,
          field: p.path,
          message: p.message,
          proto: `${mapping.message} (${mapping.pkg})`,
        });
      }
    }
    const stored = STORED_JSON[r.type];
    const json = stored ? r.inputs[stored.input] : undefined;
    if (stored && typeof json === "string") {
      for (const problem of storedJsonProblems(protoRoot(stored.pkg), stored.message, json)) {
        findings.push({
          resource: r.name,
          type: r.type,
          field: stored.input,
          message: problem,
          proto: `${stored.message} (${stored.pkg})`,
        });
      }
    }
  }
  return findings;
}

/** The report `npm run plan` prints. */
export function formatFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) {
    return `Conformance with Google's protos: every field and enum value of ${Object.keys(MAPPINGS).length + Object.keys(STORED_JSON).length} resource types is in the public API`;
  }
  const lines = [`Conformance with Google's protos: ${findings.length} finding(s)`];
  for (const f of findings) {
    lines.push(`  - ${f.type} "${f.resource}": ${f.field}: ${f.message} [proto ${f.proto}]`);
  }
  return lines.join("\n");
}
