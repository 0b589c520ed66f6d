/**
 * `worker.scaling`: how the worker pool follows the load. Three modes:
 * - `manual`: a fixed instance count (the pool's MANUAL scaling).
 * - `cpu`: Cloud Run's own AUTOMATIC scaling on CPU between min and max instances.
 * - `backlog`: CREMA (Cloud Run External Metrics Autoscaling, KEDA's gcp-pubsub scaler)
 *   sets the pool's manual instance count from the input subscription's backlog.
 * The schema checks each mode's keys; `workerScalingOf` resolves defaults, including the
 * per-environment default mode and the older `worker.minInstances/maxInstances` keys.
 */
import { z } from "zod";
import { BATCHING_LIMITS } from "../../contract";

export const SCALING_MODES = ["manual", "cpu", "backlog"] as const;
export type ScalingMode = (typeof SCALING_MODES)[number];

/**
 * Cloud Run's CPU target for worker pools, percent. The docs allow a custom target
 * (run/docs/configuring/workerpools/cpu-autoscaling), but neither the Cloud Run v2 API
 * (`WorkerPoolScaling` in google/cloud/run/v2/vendor_settings.proto) nor `@pulumi/gcp`
 * 9.37 (`WorkerPoolScaling`: scalingMode, min/max/manualInstanceCount; magic-modules
 * mmv1/products/cloudrunv2/WorkerPool.yaml) has a field for it: the default applies.
 */
export const CLOUD_RUN_CPU_TARGET_PERCENT = 60;

/**
 * CREMA's default scale-down stabilization window, seconds (metric-provider/internal/
 * config/provider.go `defaultScaledownStabilizationWindowSeconds`); HPA caps it at 3600.
 */
export const DEFAULT_COOLDOWN_SECONDS = 300;

/** Default backlog per instance: above the default worker's flow-control window (50 x 4 x 2 = 400). */
export const DEFAULT_BACKLOG_PER_INSTANCE = 1000;

const count = (min: number) => z.number().int().min(min).max(100);

const manual = z.strictObject({
  mode: z.literal("manual"),
  /** Instances kept running. Defaults to `worker.minInstances`, else 1. */
  instances: count(0).optional(),
});

const cpu = z.strictObject({
  mode: z.literal("cpu"),
  /** Average CPU utilisation the pool aims for, percent (only Cloud Run's 60 can be set; see above). */
  targetPercent: z.number().int().min(10).max(95).optional(),
  /** CPU scaling never goes below 1: an instance that does not run reports no CPU. */
  minInstances: count(1).optional(),
  maxInstances: count(1).optional(),
});

const backlog = z.strictObject({
  mode: z.literal("backlog"),
  /** Undelivered messages one instance is expected to carry (KEDA gcp-pubsub `value`). */
  targetBacklogPerInstance: z.number().positive().max(1_000_000).optional(),
  minInstances: count(0).optional(),
  maxInstances: count(1).optional(),
  /** Scale-down stabilization window, seconds (HPA `scaleDown.stabilizationWindowSeconds`). */
  cooldownSeconds: z.number().int().min(0).max(3600).optional(),
});

/** `worker.scaling` as written in the stack config. */
export const workerScalingSchema = z.discriminatedUnion("mode", [manual, cpu, backlog]);
export type WorkerScalingInput = z.input<typeof workerScalingSchema>;

/** The resolved scaling of the worker pool, every value decided. */
export type WorkerScaling =
  | { mode: "manual"; instances: number }
  | { mode: "cpu"; targetPercent: number; minInstances: number; maxInstances: number }
  | {
      mode: "backlog";
      targetBacklogPerInstance: number;
      minInstances: number;
      maxInstances: number;
      cooldownSeconds: number;
    };

/** The parts of the validated config the scaling depends on. */
export interface ScalingContext {
  environment: "staging" | "prod";
  worker: {
    scaling?: WorkerScalingInput;
    minInstances?: number;
    maxInstances?: number;
    maxBatchSize: number;
    maxInFlight: number;
  };
}

/** `backlog` in prod (bursts are absorbed before CPU shows them), `cpu` in staging (nothing more to run). */
export function defaultScalingMode(environment: "staging" | "prod"): ScalingMode {
  return environment === "prod" ? "backlog" : "cpu";
}

/**
 * Messages one worker instance holds leased (delivered, not yet acked): its subscriber
 * flow control, `maxBatchSize * maxInFlight * 2` (worker/src/worker.ts). Leased messages
 * count in `subscription/num_undelivered_messages`, the metric the backlog scaler reads.
 */
export function flowControlWindow(worker: { maxBatchSize: number; maxInFlight: number }): number {
  return worker.maxBatchSize * worker.maxInFlight * 2;
}

/** The scaling the pool runs with: `worker.scaling` with defaults, or the older keys. */
export function workerScalingOf(c: ScalingContext): WorkerScaling {
  const s: WorkerScalingInput = c.worker.scaling ?? { mode: defaultScalingMode(c.environment) };
  const min = (fallback: number) =>
    ("minInstances" in s ? s.minInstances : undefined) ?? c.worker.minInstances ?? fallback;
  const max = () => ("maxInstances" in s ? s.maxInstances : undefined) ?? c.worker.maxInstances ?? 4;
  switch (s.mode) {
    case "manual":
      return { mode: "manual", instances: s.instances ?? c.worker.minInstances ?? 1 };
    case "cpu":
      return {
        mode: "cpu",
        targetPercent: s.targetPercent ?? CLOUD_RUN_CPU_TARGET_PERCENT,
        minInstances: min(1),
        maxInstances: max(),
      };
    case "backlog":
      return {
        mode: "backlog",
        targetBacklogPerInstance: s.targetBacklogPerInstance ?? DEFAULT_BACKLOG_PER_INSTANCE,
        minInstances: min(1),
        maxInstances: max(),
        cooldownSeconds: s.cooldownSeconds ?? DEFAULT_COOLDOWN_SECONDS,
      };
  }
}

/** The highest instance count the pool can reach: the cap every worker pool must have. */
export function instanceCap(s: WorkerScaling): number {
  return s.mode === "manual" ? s.instances : s.maxInstances;
}

/** Problems with the scaling settings, as [config path, message] pairs (empty when valid). */
export function scalingProblems(c: ScalingContext): [(string | number)[], string][] {
  const problems: [(string | number)[], string][] = [];
  const written = c.worker.scaling;
  if (written) {
    for (const key of ["minInstances", "maxInstances"] as const) {
      if (c.worker[key] !== undefined) {
        const target = written.mode === "manual" && key === "minInstances" ? "instances" : key;
        problems.push([
          ["worker", key],
          `is set next to worker.scaling; move it to worker.scaling.${target} and remove worker.${key}`,
        ]);
      }
    }
  }
  const resolved = workerScalingOf(c);
  const at = (key: string) => (written ? ["worker", "scaling", key] : ["worker", key]);
  if (resolved.mode === "manual") return problems;
  if (resolved.minInstances > resolved.maxInstances) {
    problems.push([
      at("minInstances"),
      `must not exceed the maximum instance count (${resolved.maxInstances})`,
    ]);
  }
  if (resolved.mode === "cpu") {
    if (resolved.minInstances < 1) {
      problems.push([
        at("minInstances"),
        "must be at least 1 with CPU scaling: an instance that is not running reports no CPU",
      ]);
    }
    if (resolved.targetPercent !== CLOUD_RUN_CPU_TARGET_PERCENT) {
      problems.push([
        ["worker", "scaling", "targetPercent"],
        `the worker pool API (Cloud Run v2, @pulumi/gcp 9.37) has no field for a custom CPU target; ` +
          `remove it or set ${CLOUD_RUN_CPU_TARGET_PERCENT} (Cloud Run's target)`,
      ]);
    }
  }
  // Only judged on batching values that are themselves valid (those report their own problems).
  const batching = [c.worker.maxBatchSize, c.worker.maxInFlight] as const;
  const batchingValid =
    batching.every(Number.isInteger) &&
    c.worker.maxBatchSize <= BATCHING_LIMITS.maxBatchSize.max &&
    c.worker.maxInFlight <= BATCHING_LIMITS.maxInFlight.max;
  if (resolved.mode === "backlog" && batchingValid) {
    const window = flowControlWindow(c.worker);
    if (resolved.targetBacklogPerInstance <= window) {
      problems.push([
        ["worker", "scaling", "targetBacklogPerInstance"],
        `one instance already holds up to ${window} messages leased (maxBatchSize x maxInFlight x 2), ` +
          `which count as backlog; set it above ${window}`,
      ]);
    }
  }
  return problems;
}
