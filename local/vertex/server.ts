/**
 * A local stand-in for a Vertex AI endpoint of a given type (public, Private Service
 * Connect or VPC peering; the rules are in connectivity.ts): a gRPC front implementing
 * `PredictionService.Predict` (other methods answer UNIMPLEMENTED) and an HTTP front,
 * both over one protocol-neutral handler hosting the deterministic model, with latency
 * and faults that can be changed while it runs.
 */
import { status } from "@grpc/grpc-js";
import { REQUEST_LIMIT_BYTES, type StandInConnectivity } from "./connectivity";
import { startGrpcFront } from "./grpcFront";
import { startHttpFront, type PredictOutcome } from "./httpFront";
import { InvalidInstanceError } from "./model";
import { STAND_IN_MODELS, type StandInModel, type StandInModelName } from "./models";
import type { JsonValue } from "./protobufValue";
import { pscHostName } from "../../contract/psc";
import { generatePscCertificate, STAND_IN_PROJECT_NUMBER } from "./pscCertificate";
import { DEFAULT_FAULTS, DEFAULT_LATENCY, mergeFaults, mergeLatency, seededRandom } from "./settings";
import type { FaultSettings, LatencySettings } from "./settings";

export interface VertexStandInOptions {
  /** Port of the gRPC front on 127.0.0.1; 0 picks a free one. Default 0. (HTTP takes a free port.) */
  port?: number;
  /** The endpoint type whose rules the fronts enforce. Default "public". */
  connectivity?: StandInConnectivity;
  /** Largest request accepted, bytes. Default: the endpoint type's cap (1.5 MB public, 10 MB private). */
  maxRequestBytes?: number;
  /** The model served: a name from STAND_IN_MODELS or a model of its own. Default "scorer". */
  model?: StandInModelName | StandInModel;
  /** Reported as `deployedModelId` in every response. Default: the model's. */
  deployedModelId?: string;
  /** When set, requests for another endpoint id get NOT_FOUND, as Vertex answers. */
  endpointId?: string;
  latency?: Partial<LatencySettings>;
  faults?: Partial<FaultSettings>;
  /** Seed of the fault dice, so a fault pattern can be replayed. Default 1. */
  seed?: number;
  /** Project number in the PSC host name (`ENDPOINT_ID-REGION-PROJECT_NUMBER`). Default STAND_IN_PROJECT_NUMBER. */
  projectNumber?: string;
}

/** What the stand-in has seen, for progress lines, summaries and test assertions. */
export interface VertexStandInStats {
  /** Predict calls received. */
  requests: number;
  /** Instances in those calls (retries included). */
  instances: number;
  /** Calls answered with predictions. */
  answered: number;
  /** Of those, answered on each front (which protocol the worker really used). */
  answeredOver: { grpc: number; http: number };
  /** Calls rejected as INVALID_ARGUMENT (bad instance or endpoint). */
  rejected: number;
  /** Calls the endpoint type refuses before the model (wrong protocol, missing PSC header). */
  refused: number;
  injectedErrors: number;
  hangs: number;
  wrongCounts: number;
  /** Instances answered with an injected error of their own (`faults.badAnswerFeature`). */
  badAnswers: number;
  /** Instances per call → number of calls, for the calls the model answered. */
  batchSizes: Record<number, number>;
  /** The `parameters` of the last call, if it had any (as the model saw them). */
  lastParameters?: JsonValue;
}

/** The in-process control and inspection API of a running stand-in. */
export interface VertexStandIn {
  /** Port of the gRPC front. */
  readonly port: number;
  /** `127.0.0.1:<port>` of the gRPC front, the value of the worker's SI_VERTEX_API_ENDPOINT. */
  readonly apiEndpoint: string;
  /** Port of the HTTP front. */
  readonly httpPort: number;
  readonly connectivity: StandInConnectivity;
  readonly deployedModelId: string;
  /** Where both fronts listen (what the PSC host name resolves to locally). */
  readonly address: string;
  /**
   * PSC only: both fronts serve TLS (HTTPS and gRPC) with this self-signed certificate for
   * `*.prediction.p.vertexai.goog`, as Google's PSC address does (contract/psc.ts).
   */
  readonly tls?: { certificate: string };
  /** PSC only: the endpoint's host name in `location`, `ENDPOINT_ID-REGION-PROJECT_NUMBER.prediction.p.vertexai.goog`. */
  pscHost(location: string): string;
  /**
   * Where HTTP predictions go: a peering endpoint's predictHttpUri
   * (`/v1/models/<deployed model id>:predict`), else the endpoint's `:predict` path.
   */
  predictUrl(project: string, location: string): string;
  latency(): LatencySettings;
  faults(): FaultSettings;
  setLatency(change: Partial<LatencySettings>): void;
  setFaults(change: Partial<FaultSettings>): void;
  stats(): VertexStandInStats;
  resetStats(): void;
  /** Stops at once; calls left hanging are cancelled. */
  stop(): Promise<void>;
}

function emptyStats(): VertexStandInStats {
  return {
    requests: 0,
    instances: 0,
    answered: 0,
    answeredOver: { grpc: 0, http: 0 },
    rejected: 0,
    refused: 0,
    injectedErrors: 0,
    hangs: 0,
    wrongCounts: 0,
    badAnswers: 0,
    batchSizes: {},
  };
}

export async function startVertexStandIn(options: VertexStandInOptions = {}): Promise<VertexStandIn> {
  let latency = mergeLatency(DEFAULT_LATENCY, options.latency ?? {});
  let faults = mergeFaults(DEFAULT_FAULTS, options.faults ?? {});
  let stats = emptyStats();
  const random = seededRandom(options.seed ?? 1);
  const model =
    typeof options.model === "object" ? options.model : STAND_IN_MODELS[options.model ?? "scorer"];
  const deployedModelId = options.deployedModelId ?? model.deployedModelId;
  const pendingTimers = new Set<NodeJS.Timeout>();

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        resolve();
      }, ms);
      pendingTimers.add(timer);
    });

  /** One predict call, whatever the protocol: endpoint check, faults, latency, the model. */
  async function handle(
    endpointId: string,
    instances: JsonValue[],
    parameters: JsonValue | undefined,
    isCancelled: () => boolean,
  ): Promise<PredictOutcome> {
    stats.requests += 1;
    stats.instances += instances.length;
    if (options.endpointId !== undefined && endpointId !== options.endpointId) {
      return { kind: "error", code: status.NOT_FOUND, message: `Endpoint ${endpointId} not found.` };
    }

    // Fault dice are rolled in a fixed order so a seed replays the same pattern.
    const hang = random() < faults.hangRate;
    const fail = random() < faults.errorRate;
    const wrongCount = random() < faults.wrongCountRate;
    if (hang) {
      stats.hangs += 1;
      return { kind: "hang" }; // never answered: the client's deadline (or stop()) ends the call
    }
    if (fail) {
      stats.injectedErrors += 1;
      return {
        kind: "error",
        code: faults.errorCode,
        message: "injected fault: the local model is unavailable",
      };
    }

    await delay(latency.fixedMs + latency.perInstanceMs * instances.length);
    if (isCancelled()) return { kind: "hang" };

    if (parameters !== undefined) stats.lastParameters = parameters;
    let predictions: JsonValue[];
    try {
      predictions = model.predict(instances, parameters);
    } catch (error) {
      if (!(error instanceof InvalidInstanceError)) throw error;
      stats.rejected += 1;
      return { kind: "error", code: status.INVALID_ARGUMENT, message: error.message };
    }
    if (faults.badAnswerFeature !== "") {
      const marker = faults.badAnswerFeature;
      predictions = predictions.map((prediction, i) => {
        const features = (instances[i] as { features?: Record<string, unknown> } | null)?.features;
        if (features === undefined || !Object.prototype.hasOwnProperty.call(features, marker))
          return prediction;
        stats.badAnswers += 1;
        return { error: { message: `injected fault: this instance carries "${marker}"` } };
      });
    }
    if (wrongCount) {
      stats.wrongCounts += 1;
      predictions = predictions.slice(0, -1);
    }
    stats.answered += 1;
    stats.batchSizes[instances.length] = (stats.batchSizes[instances.length] ?? 0) + 1;
    return {
      kind: "ok",
      predictions,
      deployedModelId,
      modelDisplayName: model.displayName,
    };
  }

  const connectivity = options.connectivity ?? "public";
  const pscHost = (location: string) =>
    pscHostName(options.endpointId ?? "local", location, options.projectNumber ?? STAND_IN_PROJECT_NUMBER);
  // A PSC address serves 443 with TLS under a self-signed certificate; the stand-in does too.
  const certificate = connectivity === "psc" ? await generatePscCertificate() : undefined;
  const tls =
    certificate === undefined ? undefined : { key: certificate.privateKey, cert: certificate.certificate };
  const maxRequestBytes = options.maxRequestBytes ?? REQUEST_LIMIT_BYTES[connectivity];
  const refused = () => {
    stats.requests += 1;
    stats.refused += 1;
  };
  const handleOver =
    (protocol: keyof VertexStandInStats["answeredOver"]): typeof handle =>
    async (...args) => {
      const outcome = await handle(...args);
      if (outcome.kind === "ok") stats.answeredOver[protocol] += 1;
      return outcome;
    };
  const grpcFront = await startGrpcFront({
    port: options.port ?? 0,
    connectivity,
    maxRequestBytes,
    handle: handleOver("grpc"),
    onRefused: refused,
    tls,
  });
  const httpFront = await startHttpFront({
    connectivity,
    deployedModelId,
    endpointId: options.endpointId ?? "local",
    maxRequestBytes,
    handle: handleOver("http"),
    onRefused: refused,
    tls,
    pscHost,
  });
  const port = grpcFront.port;

  return {
    port,
    apiEndpoint: `127.0.0.1:${port}`,
    httpPort: httpFront.port,
    connectivity,
    deployedModelId,
    address: "127.0.0.1",
    ...(certificate === undefined ? {} : { tls: { certificate: certificate.certificate } }),
    pscHost,
    predictUrl: (project, location) => httpFront.predictUrl(project, location),
    latency: () => ({ ...latency }),
    faults: () => ({ ...faults }),
    setLatency: (change) => {
      latency = mergeLatency(latency, change);
    },
    setFaults: (change) => {
      faults = mergeFaults(faults, change);
    },
    stats: () => ({ ...stats, answeredOver: { ...stats.answeredOver }, batchSizes: { ...stats.batchSizes } }),
    resetStats: () => {
      stats = emptyStats();
    },
    stop: async () => {
      for (const timer of pendingTimers) clearTimeout(timer);
      pendingTimers.clear();
      grpcFront.stop();
      await httpFront.stop();
    },
  };
}
