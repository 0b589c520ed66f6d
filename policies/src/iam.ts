/**
 * Least privilege: no basic roles, nothing public, and the data roles the platform
 * grants per resource are never granted on the whole project.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { PROJECT_IAM_TYPES, datasetAccessMembers, grantsOf } from "./iamGrants";
import { settings } from "./policyConfig";
import { describe } from "./resources";

const BASIC_ROLES = ["roles/owner", "roles/editor", "roles/viewer"];
const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];

const grantName = (name: string) => `IAM grant "${name}"`;
const listed = (members: string[]) => members.join(", ") || "(no members)";

export const iamNoBasicRoles: ResourceValidationPolicy = {
  name: "iam-no-basic-roles",
  description:
    "No IAM grant uses a basic (primitive) role - roles/owner, roles/editor, roles/viewer: each spans " +
    "thousands of permissions on every service; the platform grants predefined roles on single resources.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const grants = grantsOf(args);
    if (!grants) return args.notApplicable("not an IAM resource");
    for (const { role, members } of grants.filter((g) => BASIC_ROLES.includes(g.role))) {
      reportViolation(
        `${grantName(args.name)} gives basic role ${role} to ${listed(members)}: grant a predefined role ` +
          `on the resource the member uses instead.`,
      );
    }
  },
};

export const iamNoPublicMembers: ResourceValidationPolicy = {
  name: "iam-no-public-members",
  description:
    "No IAM grant or BigQuery dataset access names allUsers or allAuthenticatedUsers: either makes the " +
    "resource readable (or writable) by anyone on the internet.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const grants = grantsOf(args);
    const accesses = datasetAccessMembers(args);
    if (!grants && !accesses) return args.notApplicable("grants no access");
    for (const { role, members } of grants ?? []) {
      const open = members.filter((m) => PUBLIC_MEMBERS.includes(m));
      if (open.length > 0) {
        reportViolation(
          `${grantName(args.name)} gives ${role} to ${open.join(", ")}: grant it to the service account or ` +
            `group that needs it.`,
        );
      }
    }
    for (const { where, member } of accesses ?? []) {
      if (PUBLIC_MEMBERS.includes(member)) {
        reportViolation(`${describe(args)} gives access to ${member} (${where}): remove that access entry.`);
      }
    }
  },
};

/** Where each data role belongs, for the fix. */
const RESOURCE_LEVEL_GRANT: Record<string, string> = {
  "roles/pubsub.publisher": "gcp.pubsub.TopicIAMMember on the topic",
  "roles/pubsub.subscriber": "gcp.pubsub.SubscriptionIAMMember on the subscription",
  "roles/pubsub.viewer": "gcp.pubsub.SubscriptionIAMMember on the subscription",
  "roles/bigtable.reader": "gcp.bigtable.InstanceIamMember on the instance",
  "roles/bigtable.user": "gcp.bigtable.InstanceIamMember on the instance",
  "roles/cloudkms.cryptoKeyEncrypterDecrypter": "gcp.kms.CryptoKeyIAMMember on the key",
  "roles/bigquery.dataEditor": "gcp.bigquery.DatasetIamMember on the dataset",
  "roles/bigquery.dataViewer": "gcp.bigquery.DatasetIamMember on the dataset",
  "roles/aiplatform.user": "gcp.vertex.AiEndpointIamMember on the endpoint",
  "roles/artifactregistry.reader": "gcp.artifactregistry.RepositoryIamMember on the repository",
};

export const projectLevelRoleSettings = settings<{ perResourceRoles: string[] }>({
  perResourceRoles: {
    type: "array",
    items: { type: "string" },
    default: Object.keys(RESOURCE_LEVEL_GRANT),
    description: "Roles the platform grants on single resources, never on the project.",
  },
});

export const iamNoProjectLevelDataRoles: ResourceValidationPolicy = {
  name: "iam-no-project-level-data-roles",
  description:
    "The data roles the platform grants per resource (Pub/Sub publisher and subscriber, Bigtable reader, " +
    "KMS encrypter/decrypter, BigQuery data editor, ...) are never granted on the whole project: a " +
    "project-level grant reaches every topic, table and key, including other teams'.",
  enforcementLevel: "mandatory",
  configSchema: projectLevelRoleSettings.schema,
  validateResource: (args, reportViolation) => {
    if (!PROJECT_IAM_TYPES.includes(args.type)) return args.notApplicable("not a project IAM resource");
    const { perResourceRoles } = projectLevelRoleSettings.read(args);
    const project = (args.props as { project?: string }).project ?? "(provider default)";
    for (const { role, members } of grantsOf(args) ?? []) {
      if (!perResourceRoles.includes(role)) continue;
      const where = RESOURCE_LEVEL_GRANT[role] ?? "the resource's IAM member resource";
      reportViolation(
        `${grantName(args.name)} gives ${role} on all of project ${project} to ${listed(members)}: ` +
          `grant it with ${where} instead.`,
      );
    }
  },
};
