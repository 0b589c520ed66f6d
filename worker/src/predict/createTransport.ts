/** Picks the transport the endpoint type takes, from the worker's settings. */
import { isPscHostName } from "../../../contract/psc";
import { googleAuthHeaders } from "./googleAuth";
import { HttpPredictTransport } from "./httpTransport";
import { LazyGrpcTransport } from "./lazyGrpcTransport";
import type { PscRoute } from "./pscTls";
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
  /** TLS and name resolution for a PSC endpoint's name (either protocol); see pscTls.ts. */
  psc?: PscRoute;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function createTransport(settings: TransportSettings): PredictTransport {
  const psc = settings.psc ?? {};
  // The loopback stand-in, and the twin's PSC front reached through the local-only
  // address, take no token; anything else is Vertex and needs one.
  const local = (host: string) => LOOPBACK.has(host) || psc.localOnlyAddress !== undefined;
  if (settings.protocol === "grpc") {
    const { host } = settings.api;
    const onPsc = isPscHostName(host);
    return new LazyGrpcTransport({
      projectId: settings.projectId,
      location: settings.location,
      endpointId: settings.endpointId,
      ...settings.api,
      // A PSC route with settings on another host is refused by the transport (pscTls.ts).
      ...(onPsc || psc.tls !== undefined || psc.localOnlyAddress !== undefined ? { psc } : {}),
      ...(onPsc && !local(host) ? { authorize: googleAuthHeaders() } : {}),
    });
  }
  if (settings.predictUrl === undefined) {
    throw new Error("the HTTP transport needs a predict URL (SI_VERTEX_PREDICT_URL)");
  }
  const host = new URL(settings.predictUrl).hostname;
  return new HttpPredictTransport({
    url: settings.predictUrl,
    maxSockets: settings.maxConnections,
    authorize: local(host) ? undefined : googleAuthHeaders(),
    psc,
  });
}
