/** Picks the transport the endpoint type takes, from the worker's settings. */
import { googleAuthHeaders } from "./googleAuth";
import { HttpPredictTransport } from "./httpTransport";
import { LazyGrpcTransport } from "./lazyGrpcTransport";
import type { PredictProtocol, PredictTransport } from "./transport";

export interface TransportSettings {
  projectId: string;
  location: string;
  endpointId: string;
  protocol: PredictProtocol;
  /** gRPC: where PredictionService is served. */
  api: { host: string; port: number; plaintext: boolean };
  /** HTTP: the predict URL (required when `protocol` is http). */
  predictUrl?: string;
  /** HTTP: connections kept open (the worker's maxInFlight). */
  maxConnections: number;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function createTransport(settings: TransportSettings): PredictTransport {
  if (settings.protocol === "grpc") {
    return new LazyGrpcTransport({
      projectId: settings.projectId,
      location: settings.location,
      endpointId: settings.endpointId,
      ...settings.api,
    });
  }
  if (settings.predictUrl === undefined) {
    throw new Error("the HTTP transport needs a predict URL (SI_VERTEX_PREDICT_URL)");
  }
  const host = new URL(settings.predictUrl).hostname;
  return new HttpPredictTransport({
    url: settings.predictUrl,
    maxSockets: settings.maxConnections,
    // The loopback stand-in takes no token; anything else is Vertex and needs one.
    authorize: LOOPBACK.has(host) ? undefined : googleAuthHeaders(),
  });
}
