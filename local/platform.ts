/**
 * The local platform as a library: emulators, the resources the components
 * declare, seeded features, the Vertex stand-in, and worker processes. `npm start`,
 * the benchmarks, the chaos runs and the integration tests are built from it.
 */
import { join } from "node:path";
import { modelIoEnv } from "../contract";
import { endpointTakesGrpc } from "../contract/gcp";
import { PSC_TLS_DEFAULT, pscTlsEnv, type PscTlsMode } from "../contract/psc";
import { localClients, LOCAL_BIGTABLE_INSTANCE, LOCAL_PROJECT_ID, LOCAL_REGION } from "./clients/clients";
import type { EmulatorHosts, LocalClients } from "./clients/clients";
import { startEmulators } from "./emulators/emulators";
import { LOCAL_MODEL_PROFILES } from "./modelProfiles";
import type { LocalModelProfile } from "./modelProfiles";
import { createFeatureTable, seedFeatures } from "./provision/features";
import { provisionMessaging } from "./provision/messaging";
import type { ProvisionedMessaging, SubscriptionSettings } from "./provision/messaging";
import type { StandInConnectivity } from "./vertex/connectivity";
import { startVertexStandIn } from "./vertex/server";
import type { VertexStandIn, VertexStandInOptions } from "./vertex/server";
import type { StandInModelName } from "./vertex/models";
import { LOCAL_ENDPOINT_ID, REPO_ROOT, spawnWorker } from "./worker/spawnWorker";
import type { WorkerProcess, WorkerProcessOptions } from "./worker/spawnWorker";
import type { WorkerEnvKey } from "../contract";

export interface LocalPlatformOptions {
  /** Name prefix of topics and subscriptions. Default "si-local". */
  prefix?: string;
  /** Bigtable instance id (any id works on the emulator). Default "local-instance". */
  bigtableInstance?: string;
  /** Entities seeded in Bigtable. Default 1000. */
  entities?: number;
  /** Region of the input subscription the workers consume. Default "local". */
  region?: string;
  /** Further regions with their own input subscription on the events topic (the failover drill). */
  otherRegions?: readonly string[];
  /** Overrides of the input subscription's settings (tests use short backoffs). */
  inputSubscription?: Partial<SubscriptionSettings>;
  /** Vertex stand-in settings (latency, faults). */
  model?: VertexStandInOptions;
  /**
   * The model run end to end: the stand-in model, the rows seeded, what the worker is told
   * (features, instance shape, output spec). Default "scorer" (today's contract).
   */
  modelProfile?: StandInModelName | LocalModelProfile;
  /**
   * The endpoint type the stand-in plays and the worker is configured for, as the
   * components configure it: `psc` (HTTP at the endpoint's `:predict`, or gRPC with the
   * endpoint-id header; see `predictProtocol`) or `peering` (HTTP at the deployed model's
   * predict URI). Default "psc" (the stack's default).
   */
  connectivity?: LocalConnectivity;
  /**
   * How the worker calls the stand-in, as `endpoint.predictProtocol` sets it: `http` (the
   * stack's default; peering takes nothing else) or `grpc` (PSC only).
   */
  predictProtocol?: LocalPredictProtocol;
  /**
   * PSC only: how the worker checks the stand-in's self-signed certificate, as the components
   * set it (`unverified` by default; `pinned` when the stack config gives the certificate).
   */
  pscTls?: PscTlsMode;
  /** Folder for worker logs. Default `.local/logs` in the repository. */
  logDir?: string;
  /** Worker entry file (see `WorkerProcessOptions.entry`). Default: the TypeScript source under tsx. */
  workerEntry?: string;
  /** Aborts the start-up (Ctrl-C): whatever was started is stopped and the start rejects. */
  signal?: AbortSignal;
}

/** The endpoint types the stack deploys (never public). */
export const LOCAL_CONNECTIVITY = ["psc", "peering"] as const;
export type LocalConnectivity = (typeof LOCAL_CONNECTIVITY)[number] & StandInConnectivity;

/** As the stack config refuses it (`endpoint.predictProtocol`; `endpointTakesGrpc`). */
export function refuseGrpcOnPeering(connectivity: LocalConnectivity, protocol: LocalPredictProtocol): void {
  if (protocol === "grpc" && !endpointTakesGrpc(connectivity)) {
    throw new Error("--protocol grpc needs --connectivity psc: a peering endpoint takes HTTP only");
  }
}

export const LOCAL_PREDICT_PROTOCOLS = ["http", "grpc"] as const;
export type LocalPredictProtocol = (typeof LOCAL_PREDICT_PROTOCOLS)[number];

/**
 * The worker's Vertex settings for an endpoint type and protocol, as `InferenceEndpoint`
 * and the worker deployment set them: HTTP at the predict URL (PSC's
 * `https://<endpoint name>/v1/<endpoint>:predict`, peering's predict URI), or gRPC at
 * `<endpoint name>:<port>`; on PSC the TLS mode the components set (`pscTls`) and, in
 * place of the VPC's private zone, the local-only address the name resolves to.
 * gRPC on peering is refused as the stack config refuses it.
 */
export function vertexSettingsFor(
  connectivity: LocalConnectivity,
  protocol: LocalPredictProtocol,
  model: VertexStandIn,
  pscTls: PscTlsMode = PSC_TLS_DEFAULT,
): Partial<Record<WorkerEnvKey, string>> {
  refuseGrpcOnPeering(connectivity, protocol);
  const route =
    protocol === "http"
      ? { vertexProtocol: "http", vertexPredictUrl: model.predictUrl(LOCAL_PROJECT_ID, LOCAL_REGION) }
      : {
          vertexProtocol: "grpc",
          vertexApiEndpoint:
            connectivity === "psc" ? `${model.pscHost(LOCAL_REGION)}:${model.port}` : model.apiEndpoint,
        };
  if (connectivity !== "psc") return route;
  return {
    ...route,
    ...pscTlsEnv(pscTls, model.tls?.certificate),
    localOnlyPscAddress: model.address,
  };
}

/** A provisioned platform on running emulators. */
export interface LocalPlatform {
  hosts: EmulatorHosts;
  clients: LocalClients;
  messaging: ProvisionedMessaging;
  bigtableInstance: string;
  model: VertexStandIn;
  /** The model run end to end (seeding, worker settings, inline features of the load). */
  profile: LocalModelProfile;
  connectivity: LocalConnectivity;
  predictProtocol: LocalPredictProtocol;
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
  const connectivity = options.connectivity ?? "psc";
  const predictProtocol = options.predictProtocol ?? "http";
  // Refused before anything is provisioned, not when the first worker starts.
  refuseGrpcOnPeering(connectivity, predictProtocol);
  const prefix = options.prefix ?? "si-local";
  const bigtableInstance = options.bigtableInstance ?? LOCAL_BIGTABLE_INSTANCE;
  const entities = options.entities ?? 1000;
  const logDir = options.logDir ?? join(REPO_ROOT, ".local", "logs");
  const profile =
    typeof options.modelProfile === "object"
      ? options.modelProfile
      : LOCAL_MODEL_PROFILES[options.modelProfile ?? "scorer"];
  const clients = localClients(hosts);
  const [messaging] = await Promise.all([
    provisionMessaging(clients.pubsub, {
      prefix,
      region: options.region,
      otherRegions: options.otherRegions,
      inputSubscription: options.inputSubscription,
    }),
    createFeatureTable(clients.bigtable, bigtableInstance).then((table) =>
      seedFeatures(table, profile.entities(entities), profile.modelIo.features),
    ),
  ]);
  const model = await startVertexStandIn({
    endpointId: LOCAL_ENDPOINT_ID,
    model: profile.model,
    connectivity,
    ...options.model,
  });
  const workers: WorkerProcess[] = [];
  let stopping: Promise<void> | undefined;

  return {
    hosts,
    clients,
    messaging,
    bigtableInstance,
    model,
    profile,
    connectivity,
    predictProtocol,
    entities,
    workers,
    startWorker(settings, nodeArgs) {
      const worker = spawnWorker({
        hosts,
        messaging,
        bigtableInstance,
        vertexApiEndpoint: model.apiEndpoint,
        settings: {
          modelId: profile.modelId,
          ...modelIoEnv(profile.modelIo),
          ...vertexSettingsFor(connectivity, predictProtocol, model, options.pscTls),
          ...settings,
        },
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
