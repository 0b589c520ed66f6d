/**
 * A local stand-in for a Vertex AI endpoint: a gRPC server implementing
 * `PredictionService.Predict` (other methods answer UNIMPLEMENTED), hosting the
 * deterministic model, with latency and faults that can be changed while it runs.
 */
import { Server, ServerCredentials, status } from "@grpc/grpc-js";
import type { sendUnaryData, ServerUnaryCall, ServiceError } from "@grpc/grpc-js";
import { InvalidInstanceError } from "./model";
import { STAND_IN_MODELS, type StandInModel, type StandInModelName } from "./models";
import { predictionServiceDefinition } from "./predictionService";
import { fromProtoValue, toProtoValue } from "./protobufValue";
import type { JsonValue, ProtoValue } from "./protobufValue";
import { DEFAULT_FAULTS, DEFAULT_LATENCY, mergeFaults, mergeLatency, seededRandom } from "./settings";
import type { FaultSettings, LatencySettings } from "./settings";

export interface VertexStandInOptions {
  /** Port on 127.0.0.1; 0 picks a free one. Default 0. */
  port?: number;
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
}

/** What the stand-in has seen, for progress lines, summaries and test assertions. */
export interface VertexStandInStats {
  /** Predict calls received. */
  requests: number;
  /** Instances in those calls (retries included). */
  instances: number;
  /** Calls answered with predictions. */
  answered: number;
  /** Calls rejected as INVALID_ARGUMENT (bad instance or endpoint). */
  rejected: number;
  injectedErrors: number;
  hangs: number;
  wrongCounts: number;
  /** Instances per call → number of calls, for the calls the model answered. */
  batchSizes: Record<number, number>;
  /** The `parameters` of the last call, if it had any (as the model saw them). */
  lastParameters?: JsonValue;
}

/** The in-process control and inspection API of a running stand-in. */
export interface VertexStandIn {
  readonly port: number;
  /** `127.0.0.1:<port>`, the value of the worker's SI_VERTEX_API_ENDPOINT. */
  readonly apiEndpoint: string;
  latency(): LatencySettings;
  faults(): FaultSettings;
  setLatency(change: Partial<LatencySettings>): void;
  setFaults(change: Partial<FaultSettings>): void;
  stats(): VertexStandInStats;
  resetStats(): void;
  /** Stops at once; calls left hanging are cancelled. */
  stop(): Promise<void>;
}

interface PredictRequest {
  endpoint?: string;
  instances?: ProtoValue[];
  parameters?: ProtoValue;
}

interface PredictResponse {
  predictions: ProtoValue[];
  deployedModelId: string;
  modelDisplayName: string;
}

const ENDPOINT_PATTERN = /^projects\/[^/]+\/locations\/[^/]+\/endpoints\/([^/]+)$/;

function grpcError(code: status, details: string): Partial<ServiceError> {
  return { code, details, message: details };
}

function emptyStats(): VertexStandInStats {
  return {
    requests: 0,
    instances: 0,
    answered: 0,
    rejected: 0,
    injectedErrors: 0,
    hangs: 0,
    wrongCounts: 0,
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

  async function predict(
    call: ServerUnaryCall<PredictRequest, PredictResponse>,
    callback: sendUnaryData<PredictResponse>,
  ): Promise<void> {
    const instances = call.request.instances ?? [];
    stats.requests += 1;
    stats.instances += instances.length;

    const endpoint = ENDPOINT_PATTERN.exec(call.request.endpoint ?? "");
    if (endpoint === null) {
      stats.rejected += 1;
      const got = JSON.stringify(call.request.endpoint ?? "");
      const why = `endpoint must be "projects/{project}/locations/{location}/endpoints/{endpoint}", got ${got}`;
      return callback(grpcError(status.INVALID_ARGUMENT, why));
    }
    if (options.endpointId !== undefined && endpoint[1] !== options.endpointId) {
      return callback(grpcError(status.NOT_FOUND, `Endpoint ${call.request.endpoint} not found.`));
    }

    // Fault dice are rolled in a fixed order so a seed replays the same pattern.
    const hang = random() < faults.hangRate;
    const fail = random() < faults.errorRate;
    const wrongCount = random() < faults.wrongCountRate;
    if (hang) {
      stats.hangs += 1;
      return; // never answered: the client's deadline (or stop()) ends the call
    }
    if (fail) {
      stats.injectedErrors += 1;
      return callback(grpcError(faults.errorCode, "injected fault: the local model is unavailable"));
    }

    await delay(latency.fixedMs + latency.perInstanceMs * instances.length);
    if (call.cancelled) return;

    const parameters =
      call.request.parameters === undefined ? undefined : fromProtoValue(call.request.parameters);
    if (parameters !== undefined) stats.lastParameters = parameters;
    let predictions: JsonValue[];
    try {
      predictions = model.predict(instances.map(fromProtoValue), parameters);
    } catch (error) {
      if (!(error instanceof InvalidInstanceError)) throw error;
      stats.rejected += 1;
      return callback(grpcError(status.INVALID_ARGUMENT, error.message));
    }
    if (wrongCount) {
      stats.wrongCounts += 1;
      predictions = predictions.slice(0, -1);
    }
    stats.answered += 1;
    stats.batchSizes[instances.length] = (stats.batchSizes[instances.length] ?? 0) + 1;
    callback(null, {
      predictions: predictions.map(toProtoValue),
      deployedModelId,
      modelDisplayName: model.displayName,
    });
  }

  const server = new Server();
  server.addService(predictionServiceDefinition(), {
    Predict: (
      call: ServerUnaryCall<PredictRequest, PredictResponse>,
      callback: sendUnaryData<PredictResponse>,
    ) => {
      predict(call, callback).catch((error: unknown) =>
        callback(grpcError(status.INTERNAL, `local model failed: ${String(error)}`)),
      );
    },
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${options.port ?? 0}`, ServerCredentials.createInsecure(), (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    );
  });

  return {
    port,
    apiEndpoint: `127.0.0.1:${port}`,
    latency: () => ({ ...latency }),
    faults: () => ({ ...faults }),
    setLatency: (change) => {
      latency = mergeLatency(latency, change);
    },
    setFaults: (change) => {
      faults = mergeFaults(faults, change);
    },
    stats: () => ({ ...stats, batchSizes: { ...stats.batchSizes } }),
    resetStats: () => {
      stats = emptyStats();
    },
    stop: async () => {
      for (const timer of pendingTimers) clearTimeout(timer);
      pendingTimers.clear();
      server.forceShutdown();
    },
  };
}
