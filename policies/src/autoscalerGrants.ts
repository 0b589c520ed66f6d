/**
 * An autoscaler changes other workloads, so its roles are the sharpest ones in the stack:
 * it may administer the one worker pool it scales and act as that pool's account, not
 * every Cloud Run workload and account of the project. CREMA's README allows
 * `roles/run.developer` on the project; the platform grants it per worker pool
 * (GoogleCloudPlatform/cloud-run-external-metrics-autoscaling README.md, "Configure").
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { PROJECT_IAM_TYPES, grantsOf } from "./iamGrants";

/** Roles that must be granted on a single resource, with where. */
const PER_RESOURCE: Record<string, string> = {
  "roles/run.admin": "gcp.cloudrunv2.WorkerPoolIamMember on the pool it scales",
  "roles/run.developer": "gcp.cloudrunv2.WorkerPoolIamMember on the pool it scales",
  "roles/iam.serviceAccountUser": "gcp.serviceaccount.IAMMember on the pool's service account",
};
/** Roles with no per-resource IAM in the provider: allowed on the project only with a condition naming the resource. */
const CONDITIONED: Record<string, string> = {
  "roles/parametermanager.parameterViewer": "/parameters/",
};

export const autoscalerGrantsPerResource: ResourceValidationPolicy = {
  name: "autoscaler-grants-per-resource",
  description:
    "Scaling roles are never granted on the whole project: roles/run.developer and roles/run.admin go on the " +
    "worker pool that is scaled, roles/iam.serviceAccountUser on that pool's service account, and a " +
    "project-level roles/parametermanager.parameterViewer carries a condition naming the one parameter.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!PROJECT_IAM_TYPES.includes(args.type)) return args.notApplicable("not a project IAM resource");
    const props = args.props as { project?: string; condition?: { expression?: string } };
    const project = props.project ?? "(provider default)";
    for (const { role, members } of grantsOf(args) ?? []) {
      const where = PER_RESOURCE[role];
      if (where) {
        reportViolation(
          `IAM grant "${args.name}" gives ${role} on all of project ${project} to ${members.join(", ")}: ` +
            `grant it with ${where} instead.`,
        );
      }
      const scope = CONDITIONED[role];
      if (scope && !props.condition?.expression?.includes(scope)) {
        reportViolation(
          `IAM grant "${args.name}" gives ${role} on all of project ${project} to ${members.join(", ")}: ` +
            `add a condition on resource.name naming the parameter it reads.`,
        );
      }
    }
  },
};
