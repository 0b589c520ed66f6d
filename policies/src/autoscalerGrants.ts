/**
 * An autoscaler changes other workloads, so its roles are the sharpest ones in the stack:
 * it may administer the one worker pool it scales and act as that pool's account, not
 * every Cloud Run workload and account of the project. CREMA's README allows
 * `roles/run.developer` on the project; the platform grants it per worker pool
 * (GoogleCloudPlatform/cloud-run-external-metrics-autoscaling README.md, "Configure").
 * Its config read, `roles/parametermanager.parameterViewer`, is the exception: Parameter
 * Manager has no IAM on a parameter (googleapis google/cloud/parametermanager/v1/
 * service.proto has no IAM methods), and IAM Conditions' resource attributes are not
 * documented for it (IAM "Resource attributes for IAM Conditions"), so a condition on
 * `resource.*` may never match and CREMA, which exits when it cannot read its config,
 * never starts. That grant goes on the project without a resource condition.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { PROJECT_IAM_TYPES, grantsOf } from "./iamGrants";

/** Roles that must be granted on a single resource, with where. */
const PER_RESOURCE: Record<string, string> = {
  "roles/run.admin": "gcp.cloudrunv2.WorkerPoolIamMember on the pool it scales",
  "roles/run.developer": "gcp.cloudrunv2.WorkerPoolIamMember on the pool it scales",
  "roles/iam.serviceAccountUser": "gcp.serviceaccount.IAMMember on the pool's service account",
};
/** Roles of services without documented IAM Conditions resource attributes: no `resource.*` condition. */
const NO_RESOURCE_CONDITION = new Set(["roles/parametermanager.parameterViewer"]);

export const autoscalerGrantsPerResource: ResourceValidationPolicy = {
  name: "autoscaler-grants-per-resource",
  description:
    "Scaling roles are never granted on the whole project: roles/run.developer and roles/run.admin go on the " +
    "worker pool that is scaled, roles/iam.serviceAccountUser on that pool's service account; " +
    "roles/parametermanager.parameterViewer carries no condition on resource attributes, which Parameter " +
    "Manager is not documented to support (the autoscaler could never read its config).",
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
      if (NO_RESOURCE_CONDITION.has(role) && /\bresource\./.test(props.condition?.expression ?? "")) {
        reportViolation(
          `IAM grant "${args.name}" gives ${role} to ${members.join(", ")} under a condition on resource ` +
            `attributes, which IAM does not document for Parameter Manager: the grant may never apply. ` +
            `Remove the condition (as CREMA's README grants it).`,
        );
      }
    }
  },
};
