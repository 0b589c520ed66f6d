/**
 * Runs the real worker (`worker/src/main.ts`) as a child process, configured the
 * way the InferenceWorker component configures it (`WORKER_ENV`), pointed at the
 * emulators and the Vertex stand-in.
 */
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { FEATURE_TABLE, toWorkerEnv } from "../../contract";
import { parseLifecycleLine, WORKER_LIFECYCLE, type WorkerFinalStats } from "../../contract/lifecycle";
import type { WorkerEnvKey } from "../../contract";
import type { EmulatorHosts } from "../clients/clients";
import { LOCAL_BIGTABLE_INSTANCE, LOCAL_PROJECT_ID, LOCAL_REGION } from "../clients/clients";
import { spawnGroup } from "../emulators/processGroup";
import type { GroupProcess } from "../emulators/processGroup";
import type { ProvisionedMessaging } from "../provision/messaging";

/** Repository root (this file is local/worker/spawnWorker.ts). */
export const REPO_ROOT = resolve(__dirname, "..", "..");
export const WORKER_ENTRY = join(REPO_ROOT, "worker", "src", "main.ts");
/** The worker as the container runs it (`npm run build -w worker`): plain node, no TypeScript loader. */
export const COMPILED_WORKER_ENTRY = join(REPO_ROOT, "worker", "dist", "worker", "src", "main.js");
/** Endpoint id the worker asks for and the stand-in serves. */
export const LOCAL_ENDPOINT_ID = "1234567890";
export const LOCAL_MODEL_ID = "local-logistic-v1";

export interface WorkerProcessOptions {
  hosts: EmulatorHosts;
  messaging: ProvisionedMessaging;
  /** `127.0.0.1:<port>` of the Vertex stand-in. */
  vertexApiEndpoint: string;
  /** Bigtable instance holding the features table. Default "local-instance". */
  bigtableInstance?: string;
  /** Further worker settings by `WORKER_ENV` key (batch size, retries, ...). */
  settings?: Partial<Record<WorkerEnvKey, string | number>>;
  /** Where the worker's JSON log lines go (appended); none if unset. */
  logFile?: string;
  /** Name in messages. Default "worker". */
  name?: string;
  /**
   * Entry file: a `.ts` file runs under tsx (default `WORKER_ENTRY`), a `.js` file with plain
   * node (`COMPILED_WORKER_ENTRY`: the benchmarks measure memory and start-up as deployed).
   */
  entry?: string;
  /** Extra node flags before the entry (e.g. `--max-old-space-size=192`). Default none. */
  nodeArgs?: readonly string[];
}

/** The worker's final counters, from its "drained" log line (`contract/lifecycle.ts`). */
export type { WorkerFinalStats };

export interface WorkerProcess {
  readonly process: GroupProcess;
  /** Resolves once the worker logged "worker started" (rejects if it exits first). */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGTERM: the worker drains and exits; SIGKILL after `graceMs`. Resolves with its exit code. */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL at once, no drain (a crash). */
  kill(): Promise<void>;
  /** Counters from the "drained" log line, once the worker stopped gracefully. */
  finalStats(): WorkerFinalStats | undefined;
}

/** The worker's environment: every value the deployment would set, for the local platform. */
export function localWorkerEnv(options: WorkerProcessOptions): NodeJS.ProcessEnv {
  const settings: Partial<Record<WorkerEnvKey, string | number>> = {
    projectId: LOCAL_PROJECT_ID,
    region: LOCAL_REGION,
    subscription: options.messaging.inputSubscription,
    predictionsTopic: options.messaging.predictions.topic,
    deadLetterTopic: options.messaging.events.deadLetterTopic,
    bigtableInstance: options.bigtableInstance ?? LOCAL_BIGTABLE_INSTANCE,
    bigtableTable: FEATURE_TABLE.tableId,
    bigtableAppProfile: FEATURE_TABLE.appProfileId,
    vertexEndpointId: LOCAL_ENDPOINT_ID,
    vertexLocation: LOCAL_REGION,
    vertexApiEndpoint: options.vertexApiEndpoint,
    modelId: LOCAL_MODEL_ID,
    // As the deployment does (messaging.ackDeadlineSeconds): the worker leases for the subscription's deadline.
    ackDeadlineSeconds: options.messaging.inputSettings.ackDeadlineSeconds,
    metricsExporter: "none",
    healthPort: 0,
    ...options.settings,
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PUBSUB_EMULATOR_HOST: options.hosts.pubsubHost,
    BIGTABLE_EMULATOR_HOST: options.hosts.bigtableHost,
    METADATA_SERVER_DETECTION: "none",
  };
  for (const { name, value } of toWorkerEnv(settings)) env[name] = value;
  return env;
}

/** Lines that may be the worker's "started" line (`parseLifecycleLine` decides). */
const STARTED_LINE = new RegExp(JSON.stringify(WORKER_LIFECYCLE.started));

/** Starts the worker as `node --import tsx worker/src/main.ts`: one process, so SIGTERM reaches it directly. */
export function spawnWorker(options: WorkerProcessOptions): WorkerProcess {
  const name = options.name ?? "worker";
  let logStream: ReturnType<typeof createWriteStream> | undefined;
  if (options.logFile !== undefined) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    logStream = createWriteStream(options.logFile, { flags: "a" });
  }
  let finalStats: WorkerFinalStats | undefined;
  let started = false; // remembered here: the output kept by the process is only its last lines
  const entry = options.entry ?? WORKER_ENTRY;
  const args = [
    ...(options.nodeArgs ?? []),
    ...(entry.endsWith(".ts") ? ["--import", "tsx", entry] : [entry]),
  ];
  const proc = spawnGroup(process.execPath, args, {
    name,
    cwd: REPO_ROOT,
    env: localWorkerEnv(options),
    onLine: (line) => {
      logStream?.write(`${line}\n`);
      const signal = parseLifecycleLine(line);
      if (signal?.event === "started") started = true;
      if (signal?.event === "drained") finalStats = signal.stats ?? finalStats;
    },
  });
  void proc.exited.then(() => logStream?.end());

  return {
    process: proc,
    ready: async (timeoutMs = 60_000) => {
      if (!started) await proc.waitForOutput(STARTED_LINE, timeoutMs);
    },
    stop: async (graceMs = 20_000) => {
      await proc.stop({ signal: "SIGTERM", leaderOnly: true, graceMs });
      return proc.child.exitCode;
    },
    kill: () => proc.stop({ signal: "SIGKILL", graceMs: 1000 }),
    finalStats: () => finalStats,
  };
}
