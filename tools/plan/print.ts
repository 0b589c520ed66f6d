/** A readable resource tree of a rendered stack, with the settings that matter per type. */
import { MODEL_DEPLOYMENT_TYPE } from "../../contract/modelDeployment";
import type { RecordedResource } from "./mocks";
import type { RenderedStack } from "./render";

/** Input paths worth showing per type token (others show their name only). */
const KEY_SETTINGS: Record<string, string[]> = {
  "gcp:kms/keyRing:KeyRing": ["location"],
  "gcp:kms/cryptoKey:CryptoKey": ["rotationPeriod", "purpose"],
  "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": ["role", "member"],
  "gcp:projects/serviceIdentity:ServiceIdentity": ["service"],
  "gcp:compute/network:Network": ["autoCreateSubnetworks", "deleteDefaultRoutesOnCreate"],
  "gcp:compute/subnetwork:Subnetwork": [
    "region",
    "ipCidrRange",
    "privateIpGoogleAccess",
    "logConfig.flowSampling",
  ],
  "gcp:compute/route:Route": ["destRange", "nextHopGateway"],
  "gcp:compute/firewall:Firewall": [
    "direction",
    "priority",
    "destinationRanges",
    "sourceRanges",
    "allows",
    "denies",
  ],
  "gcp:compute/globalAddress:GlobalAddress": ["purpose", "address", "prefixLength"],
  "gcp:servicenetworking/connection:Connection": ["service"],
  "gcp:dns/managedZone:ManagedZone": ["dnsName", "visibility"],
  "gcp:dns/recordSet:RecordSet": ["type", "rrdatas"],
  "gcp:pubsub/topic:Topic": ["kmsKeyName", "messageStoragePolicy", "messageRetentionDuration"],
  "gcp:pubsub/subscription:Subscription": [
    "topic",
    "ackDeadlineSeconds",
    "deadLetterPolicy",
    "retryPolicy",
    "expirationPolicy",
    "messageRetentionDuration",
    "bigqueryConfig",
  ],
  "gcp:pubsub/topicIAMMember:TopicIAMMember": ["topic", "role", "member"],
  "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember": ["subscription", "role", "member"],
  "gcp:bigtable/instance:Instance": ["deletionProtection", "clusters"],
  "gcp:bigtable/appProfile:AppProfile": ["appProfileId", "multiClusterRoutingUseAny"],
  "gcp:bigtable/table:Table": ["columnFamilies", "deletionProtection"],
  "gcp:bigtable/gCPolicy:GCPolicy": ["columnFamily", "mode", "maxVersions", "maxAge"],
  "gcp:bigquery/dataset:Dataset": ["location", "defaultEncryptionConfiguration"],
  "gcp:bigquery/table:Table": [
    "timePartitioning",
    "clusterings",
    "encryptionConfiguration",
    "deletionProtection",
  ],
  "gcp:bigquery/iamMember:IamMember": ["tableId", "role", "member"],
  "pulumi:providers:gcp": ["project", "region"],
  "gcp:cloudrunv2/workerPool:WorkerPool": ["scaling"],
  "gcp:cloudrunv2/service:Service": ["scaling", "template.containers.0.image"],
  "gcp:cloudrunv2/workerPoolIamMember:WorkerPoolIamMember": ["role", "member"],
  "gcp:serviceaccount/iAMMember:IAMMember": ["serviceAccountId", "role", "member"],
  "gcp:projects/iAMMember:IAMMember": ["role", "member", "condition.expression"],
  "gcp:parametermanager/parameterVersion:ParameterVersion": ["parameterVersionId"],
  // What a model deployment costs and holds in quota: the machine, its GPUs, the replica range.
  [MODEL_DEPLOYMENT_TYPE]: [
    "machineType",
    "acceleratorType",
    "acceleratorCount",
    "minReplicas",
    "maxReplicas",
    "autoscalingMetric",
  ],
};

function at(inputs: Record<string, unknown>, dotted: string): unknown {
  return dotted
    .split(".")
    .reduce<unknown>(
      (v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined),
      inputs,
    );
}

function settingsOf(r: RecordedResource): string {
  const shown = (KEY_SETTINGS[r.type] ?? [])
    .map((key) => [key, at(r.inputs, key)] as const)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
  const name = typeof r.inputs.name === "string" && r.inputs.name !== r.name ? [`name=${r.inputs.name}`] : [];
  const ignored = r.ignoreChanges ? [`ignoreChanges=${r.ignoreChanges.join(",")}`] : [];
  return [...name, ...shown, ...ignored].join("  ");
}

/** The tree, one resource per line, children indented under their parent. */
export function formatTree(resources: readonly RecordedResource[]): string[] {
  const byParent = new Map<string | undefined, RecordedResource[]>();
  const urns = new Set(resources.map((r) => r.urn));
  for (const r of resources) {
    const parent = r.parent && urns.has(r.parent) ? r.parent : undefined;
    byParent.set(parent, [...(byParent.get(parent) ?? []), r]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const r of byParent.get(parent) ?? []) {
      const settings = settingsOf(r);
      lines.push(
        `${"  ".repeat(depth)}${r.type}  ${r.name}${settings ? `\n${"  ".repeat(depth + 2)}${settings}` : ""}`,
      );
      walk(r.urn, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}

/** Resource count per type, most frequent first. */
export function countByType(resources: readonly RecordedResource[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export const OFFLINE_NOTICE =
  "Offline render under Pulumi's mock runtime: no cloud was contacted and this is NOT a `pulumi preview`. " +
  "It shows what the program declares; ids, e-mails and other provider-computed values are fakes.";

export function formatPlan(rendered: RenderedStack): string {
  const custom = rendered.resources.filter((r) => r.custom).length;
  return [
    OFFLINE_NOTICE,
    `Stack ${rendered.stack} (${rendered.configFile})`,
    "",
    ...formatTree(rendered.resources),
    "",
    "Resources per type:",
    ...countByType(rendered.resources).map(([type, n]) => `  ${String(n).padStart(4)}  ${type}`),
    `  ${String(rendered.resources.length).padStart(4)}  total (${custom} cloud resources, ${rendered.resources.length - custom} components and providers)`,
  ].join("\n");
}

/** The JSON document of `--json`. */
export function planJson(rendered: RenderedStack): string {
  return JSON.stringify(
    {
      stack: rendered.stack,
      resources: rendered.resources.map(
        ({ urn, type, name, parent, inputs, dependencies, ignoreChanges }) => ({
          urn,
          type,
          name,
          parent,
          inputs,
          // What it waits for (dependsOn and inputs), so creation order can be checked from the file.
          dependencies,
          ...(ignoreChanges ? { ignoreChanges } : {}),
        }),
      ),
    },
    null,
    2,
  );
}
