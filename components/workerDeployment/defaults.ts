/** Defaults of the worker pool: the stack config's `worker` section and `InferenceWorker` both apply them. */
export const WORKER_POOL_DEFAULTS = {
  cpu: "1",
  memory: "1Gi",
} as const;
