/**
 * Cost ceiling: every Cloud Run worker pool states the most instances it may run
 * (`scaling.maxInstanceCount`), whatever scales it - Cloud Run on CPU, an external
 * autoscaler such as CREMA, or a person. A pool without a cap can grow without bound.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { settings } from "./policyConfig";
import { GCP, describe, propsOf } from "./resources";

export const workerPoolCapSettings = settings<{ maxInstanceCap: number }>({
  maxInstanceCap: {
    type: "number",
    default: 100,
    description: "The highest maxInstanceCount a worker pool may declare.",
  },
});

export const workerPoolInstanceCap: ResourceValidationPolicy = {
  name: "worker-pool-instance-cap",
  description:
    "Every Cloud Run worker pool has a max instance cap (scaling.maxInstanceCount), no higher than the " +
    "configured ceiling, and a manual instance count within it: autoscalers follow load, and load has no " +
    "upper bound of its own.",
  enforcementLevel: "mandatory",
  configSchema: workerPoolCapSettings.schema,
  validateResource: (args, reportViolation) => {
    const pool = propsOf(args, GCP.workerPool);
    if (!pool) return args.notApplicable("not a worker pool");
    const { maxInstanceCap } = workerPoolCapSettings.read(args);
    const cap = pool.scaling?.maxInstanceCount;
    if (cap === undefined || cap === null) {
      reportViolation(
        `${describe(args)} has no max instance cap: set scaling.maxInstanceCount ` +
          `(worker.scaling.maxInstances in the stack config).`,
      );
      return;
    }
    if (cap > maxInstanceCap) {
      reportViolation(
        `${describe(args)} may grow to ${cap} instances, above the cap of ${maxInstanceCap}: lower ` +
          `scaling.maxInstanceCount (or raise maxInstanceCap).`,
      );
    }
    const manual = pool.scaling?.manualInstanceCount;
    if (typeof manual === "number" && manual > cap) {
      reportViolation(`${describe(args)} runs ${manual} instances, above its own cap of ${cap}.`);
    }
  },
};
