/**
 * `worker.scaling`: how the worker pool follows the load. Two modes, both on the GA
 * surface of the Cloud Run v2 API, whose `WorkerPoolScaling` has one field,
 * `manual_instance_count` (googleapis google/cloud/run/v2/vendor_settings.proto):
 * - `manual`: a fixed instance count.
 * - `backlog`: CREMA (Cloud Run External Metrics Autoscaling, KEDA's gcp-stackdriver
 *   scaler on the input subscription's backlog) sets that same manual count; its bounds
 *   live in CREMA's config (`minReplicaCount`/`maxReplicaCount`), where CREMA enforces them.
 * Cloud Run's own CPU autoscaling of worker pools (`scalingMode`, `min/maxInstanceCount`)
 * is pre-GA: it exists in the provider's schema and `gcloud alpha` only, not in the
 * public API (terraform-provider-google #26525), so it is refused with a message that
 * says what to use instead.
 * The schema checks each mode's keys; `workerScalingOf` resolves defaults, including the
 * older `worker.minInstances/maxInstances` keys.
 */
import { z } from "zod";
import { BATCHING_LIMITS } from "../../contract";

export const SCALING_MODES = ["manual", "backlog"] as const;
export type ScalingMode = (typeof SCALING_MODES)[number];

/** The mode when `worker.scaling` is not written, in every environment. */
export const DEFAULT_SCALING_MODE: ScalingMode = "backlog";

/** What `mode: cpu` (the platform's earlier default for staging) gets told. */
export const CPU_SCALING_REFUSED =
  "cpu scaling is not in the Cloud Run v2 API: worker pool scaling has only manualInstanceCount " +
  "(google/cloud/run/v2 WorkerPoolScaling; CPU autoscaling of worker pools is pre-GA); " +
  "use mode: backlog (CREMA, with minInstances/maxInstances) or mode: manual (instances)";

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

const backlog = z.strictObject({
  mode: z.literal("backlog"),
  /** Undelivered messages one instance is expected to carry (the trigger's `targetValue`). */
  targetBacklogPerInstance: z.number().positive().max(1_000_000).optional(),
  minInstances: count(0).optional(),
  maxInstances: count(1).optional(),
  /** Scale-down stabilization window, seconds (HPA `scaleDown.stabilizationWindowSeconds`). */
  cooldownSeconds: z.number().int().min(0).max(3600).optional(),
});

/** `worker.scaling` as written in the stack config. */
export const workerScalingSchema = z.discriminatedUnion("mode", [manual, backlog], {
  error: (issue) =>
    issue.code === "invalid_union" &&
    typeof issue.input === "object" &&
    issue.input !== null &&
    (issue.input as { mode?: unknown }).mode === "cpu"
      ? CPU_SCALING_REFUSED
      : undefined,
});
export type WorkerScalingInput = z.input<typeof workerScalingSchema>;

/** The resolved scaling of the worker pool, every value decided. */
export type WorkerScaling =
  | { mode: "manual"; instances: number }
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
  const s: WorkerScalingInput = c.worker.scaling ?? { mode: DEFAULT_SCALING_MODE };
  const min = (fallback: number) =>
    ("minInstances" in s ? s.minInstances : undefined) ?? c.worker.minInstances ?? fallback;
  const max = () => ("maxInstances" in s ? s.maxInstances : undefined) ?? c.worker.maxInstances ?? 4;
  switch (s.mode) {
    case "manual":
      return { mode: "manual", instances: s.instances ?? c.worker.minInstances ?? 1 };
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

/** The highest instance count the pool can reach: its manual count, or CREMA's `maxReplicaCount`. */
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
