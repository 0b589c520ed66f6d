/**
 * The local platform as a library: emulators, the resources the components
 * declare, seeded features, the Vertex stand-in, and worker processes. `npm start`,
 * the benchmarks, the chaos runs and the integration tests are built from it.
 */
import { join } from "node:path";
import { localClients, LOCAL_BIGTABLE_INSTANCE } from "./clients/clients";
import type { EmulatorHosts, LocalClients } from "./clients/clients";
import { startEmulators } from "./emulators/emulators";
import { createFeatureTable, seedFeatures, syntheticEntities } from "./provision/features";
import { provisionMessaging } from "./provision/messaging";
import type { ProvisionedMessaging, SubscriptionSettings } from "./provision/messaging";
import { startVertexStandIn } from "./vertex/server";
import type { VertexStandIn, VertexStandInOptions } from "./vertex/server";
import { LOCAL_ENDPOINT_ID, REPO_ROOT, spawnWorker } from "./worker/spawnWorker";
import type { WorkerProcess, WorkerProcessOptions } from "./worker/spawnWorker";

export interface LocalPlatformOptions {
  /** Name prefix of topics and subscriptions. Default "si-local". */
  prefix?: string;
  /** Bigtable instance id (any id works on the emulator). Default "local-instance". */
  bigtableInstance?: string;
  /** Entities seeded in Bigtable. Default 1000. */
  entities?: number;
  /** Overrides of the input subscription's settings (tests use short backoffs). */
  inputSubscription?: Partial<SubscriptionSettings>;
  /** Vertex stand-in settings (latency, faults). */
  model?: VertexStandInOptions;
  /** Folder for worker logs. Default `.local/logs` in the repository. */
  logDir?: string;
  /** Worker entry file (see `WorkerProcessOptions.entry`). Default: the TypeScript source under tsx. */
  workerEntry?: string;
  /** Aborts the start-up (Ctrl-C): whatever was started is stopped and the start rejects. */
  signal?: AbortSignal;
}

/** A provisioned platform on running emulators. */
export interface LocalPlatform {
  hosts: EmulatorHosts;
  clients: LocalClients;
  messaging: ProvisionedMessaging;
  bigtableInstance: string;
  model: VertexStandIn;
  entities: number;
  /** Workers started through `startWorker`, running or not. */
  workers: WorkerProcess[];
  /** Spawns a worker process against this platform (not waiting for it to be ready); `nodeArgs` go to node. */
  startWorker(settings?: WorkerProcessOptions["settings"], nodeArgs?: readonly string[]): WorkerProcess;
  /** Stops the workers (drain), the model and the clients; and the emulators if this platform started them. */
  stop(): Promise<void>;
}

/**
 * Provisions a platform on emulators that are already running (the integration
 * tests share one pair of emulators and use a fresh prefix per test).
 */
export async function provisionLocalPlatform(
  hosts: EmulatorHosts,
  options: LocalPlatformOptions = {},
): Promise<LocalPlatform> {
  const prefix = options.prefix ?? "si-local";
  const bigtableInstance = options.bigtableInstance ?? LOCAL_BIGTABLE_INSTANCE;
  const entities = options.entities ?? 1000;
  const logDir = options.logDir ?? join(REPO_ROOT, ".local", "logs");
  const clients = localClients(hosts);
  const [messaging] = await Promise.all([
    provisionMessaging(clients.pubsub, { prefix, inputSubscription: options.inputSubscription }),
    createFeatureTable(clients.bigtable, bigtableInstance).then((table) =>
      seedFeatures(table, syntheticEntities(entities)),
    ),
  ]);
  const model = await startVertexStandIn({ endpointId: LOCAL_ENDPOINT_ID, ...options.model });
  const workers: WorkerProcess[] = [];
  let stopping: Promise<void> | undefined;

  return {
    hosts,
    clients,
    messaging,
    bigtableInstance,
    model,
    entities,
    workers,
    startWorker(settings, nodeArgs) {
      const worker = spawnWorker({
        hosts,
        messaging,
        bigtableInstance,
        vertexApiEndpoint: model.apiEndpoint,
        settings,
        name: `worker ${workers.length + 1}`,
        entry: options.workerEntry,
        nodeArgs,
        logFile: join(logDir, `${prefix}-worker-${workers.length + 1}.log`),
      });
      workers.push(worker);
      return worker;
    },
    stop() {
      // Each step runs even if an earlier one failed: nothing is left running.
      stopping ??= (async () => {
        const results: PromiseSettledResult<unknown>[] = await Promise.allSettled(
          workers.map((worker) => worker.stop()),
        );
        results.push(...(await Promise.allSettled([model.stop(), clients.close()])));
        const failed = results.find((result) => result.status === "rejected");
        if (failed !== undefined) throw failed.reason;
      })();
      return stopping;
    },
  };
}

/** Starts both emulators and provisions a platform on them; `stop()` also stops the emulators. */
export async function startLocalPlatform(options: LocalPlatformOptions = {}): Promise<LocalPlatform> {
  const emulators = await startEmulators({ signal: options.signal });
  try {
    options.signal?.throwIfAborted();
    const platform = await provisionLocalPlatform(
      { pubsubHost: emulators.pubsub.host, bigtableHost: emulators.bigtable.host },
      options,
    );
    const stopPlatform = platform.stop;
    let stopping: Promise<void> | undefined;
    platform.stop = () => {
      stopping ??= stopPlatform().finally(() => emulators.stop());
      return stopping;
    };
    return platform;
  } catch (error) {
    await emulators.stop();
    throw error;
  }
}
