/** The one name for a local worker's further settings, shared by `npm start`, bench and chaos. */
import type { WorkerProcessOptions } from "./spawnWorker";

/** Worker settings by `WORKER_ENV` key (batch size, retries, ...), as the local runner passes them. */
export type LocalWorkerSettings = NonNullable<WorkerProcessOptions["settings"]>;
