/**
 * Cost ceiling: every Cloud Run worker pool states how many instances it may run, where
 * that number is enforced. On the GA Cloud Run v2 API a pool's scaling is one field,
 * `manualInstanceCount` (googleapis google/cloud/run/v2/vendor_settings.proto,
 * `WorkerPoolScaling`); an autoscaler such as CREMA changes that count between the bounds
 * of its own config (`minReplicaCount`/`maxReplicaCount`), so the cap of a backlog-scaled
 * pool is CREMA's `maxReplicaCount`. CREMA applies 100 when it is unset (metric-provider/
 * internal/config/provider.go `defaultMaxInstances`), so it must be written.
 * The provider's `scalingMode` and `min/maxInstanceCount` are the pre-GA CPU autoscaling
 * surface (not in the proto; terraform-provider-google #26525): a pool sending them is
 * flagged.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { cremaTargets } from "./backlogAutoscaler";
import { settings } from "./policyConfig";
import { GCP, describe, propsOf } from "./resources";

export const workerPoolCapSettings = settings<{ maxInstanceCap: number }>({
  maxInstanceCap: {
    type: "number",
    default: 100,
    description:
      "The most instances a worker pool may run: its manualInstanceCount, and the maxReplicaCount of the " +
      "CREMA config that scales it.",
  },
});

/** `WorkerPoolScaling` fields of the provider that the Cloud Run v2 API does not have. */
const PRE_GA_SCALING_FIELDS = ["scalingMode", "minInstanceCount", "maxInstanceCount"] as const;

export const workerPoolInstanceCap: ResourceValidationPolicy = {
  name: "worker-pool-instance-cap",
  description:
    "Every Cloud Run worker pool sends only scaling.manualInstanceCount (the GA API's one scaling field), " +
    "no higher than the configured ceiling; every CREMA config that scales a pool sets maxReplicaCount, " +
    "no higher than the ceiling: autoscalers follow load, and load has no upper bound of its own.",
  enforcementLevel: "mandatory",
  configSchema: workerPoolCapSettings.schema,
  validateResource: (args, reportViolation) => {
    const { maxInstanceCap } = workerPoolCapSettings.read(args);
    const pool = propsOf(args, GCP.workerPool);
    if (pool) {
      const scaling = pool.scaling ?? {};
      const preGa = PRE_GA_SCALING_FIELDS.filter((f) => scaling[f] !== undefined && scaling[f] !== null);
      if (preGa.length > 0) {
        reportViolation(
          `${describe(args)} sends scaling.${preGa.join(", scaling.")}, which the Cloud Run v2 API does not ` +
            `have (WorkerPoolScaling has only manualInstanceCount; CPU autoscaling of worker pools is pre-GA): ` +
            `send only scaling.manualInstanceCount and let CREMA scale it (worker.scaling.mode: backlog).`,
        );
      }
      const manual = scaling.manualInstanceCount;
      if (typeof manual !== "number") {
        reportViolation(
          `${describe(args)} sets no instance count: set scaling.manualInstanceCount ` +
            `(worker.scaling in the stack config).`,
        );
      } else if (manual > maxInstanceCap) {
        reportViolation(
          `${describe(args)} runs ${manual} instances, above the cap of ${maxInstanceCap}: lower ` +
            `scaling.manualInstanceCount (or raise maxInstanceCap).`,
        );
      }
      return;
    }
    const version = propsOf(args, GCP.parameterVersion);
    const targets = version ? cremaTargets(version.parameterData) : undefined;
    if (!targets) return args.notApplicable("neither a worker pool nor a CREMA config");
    for (const t of targets) {
      const max = t.maxReplicaCount;
      if (typeof max !== "number") {
        reportViolation(
          `${describe(args)} scales ${t.pool || "(no target)"} with no maxReplicaCount, so CREMA allows 100 ` +
            `instances: set maxReplicaCount (worker.scaling.maxInstances in the stack config).`,
        );
      } else if (max > maxInstanceCap) {
        reportViolation(
          `${describe(args)} lets CREMA grow ${t.pool} to ${max} instances, above the cap of ` +
            `${maxInstanceCap}: lower maxReplicaCount (worker.scaling.maxInstances) or raise maxInstanceCap.`,
        );
      }
    }
  },
};
