/**
 * The instance count a backlog-scaled pool runs now, read at deploy time, so `pulumi up`
 * sends it back instead of a stale one. Why: the provider updates a worker pool with a
 * PATCH of the whole object and no update mask (magic-modules mmv1/products/cloudrunv2/
 * WorkerPool.yaml `update_verb: PATCH`; `manualInstanceCount` has `send_empty_value`), and
 * with `ignoreChanges` Pulumi sends the value from its state, which is the count of the
 * last refresh, not CREMA's (Pulumi docs, resource option `ignoreChanges`). Any image or
 * env change would then reset the pool mid-burst until CREMA's next cycles restore it.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

export interface WorkerPoolRef {
  project: pulumi.Input<string>;
  location: string;
  name: string;
}

/**
 * True when a failed read means there is no pool to keep a count of: the pool does not exist
 * yet (the provider's data source fails with "<id> not found": magic-modules
 * data_source_google_cloud_run_v2_worker_pool.go), or the Cloud Run API is not enabled yet, as
 * on a fresh project's first `up`, where the stack enables it (403 with reason SERVICE_DISABLED,
 * google/api/error_reason.proto; "... has not been used in project N before or it is disabled").
 */
export function poolAbsent(err: unknown): boolean {
  const text = String(err instanceof Error ? `${err.message} ${String(err.cause ?? "")}` : err);
  return /not found|SERVICE_DISABLED|has not been used in project .* or it is disabled/i.test(text);
}

/**
 * The pool's live `manualInstanceCount`, or undefined when there is no pool (`poolAbsent`).
 * Any other failure fails the deploy: guessing a count there is the reset this avoids.
 */
export function liveInstanceCount(
  pool: WorkerPoolRef,
  opts: pulumi.InvokeOptions,
): pulumi.Output<number | undefined> {
  return pulumi.output(pool.project).apply((project) =>
    gcp.cloudrunv2.getWorkerPool({ project, location: pool.location, name: pool.name }, opts).then(
      (found) => found.scalings[0]?.manualInstanceCount,
      (err: unknown) => {
        if (poolAbsent(err)) return undefined;
        throw err;
      },
    ),
  );
}

/** The count to send: the live one within the scaler's bounds, else the floor (a new pool). */
export function countToSend(live: number | undefined, bounds: { min: number; max: number }): number {
  if (live === undefined) return bounds.min;
  return Math.min(Math.max(live, bounds.min), bounds.max);
}
