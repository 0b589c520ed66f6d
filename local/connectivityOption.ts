/** The `--connectivity psc|peering` and `--protocol http|grpc` options shared by `npm start`, bench and chaos. */
import {
  LOCAL_CONNECTIVITY,
  LOCAL_PREDICT_PROTOCOLS,
  type LocalConnectivity,
  type LocalPredictProtocol,
} from "./platform";

export const CONNECTIVITY_USAGE =
  "  --connectivity psc|peering   endpoint type the Vertex stand-in plays and the worker is set up for\n" +
  "                        (default psc, the stack's default; peering takes HTTP only)\n" +
  "  --protocol http|grpc  how the worker calls it, as endpoint.predictProtocol: JSON over HTTP (default),\n" +
  "                        or gRPC with x-vertex-ai-endpoint-id (psc only)";

/** Parses the option's value; undefined gives the stack's default, `psc`. */
export function parseConnectivityOption(raw: string | undefined): LocalConnectivity {
  if (raw === undefined) return "psc";
  const found = LOCAL_CONNECTIVITY.find((c) => c === raw);
  if (found === undefined) {
    throw new Error(`--connectivity must be one of ${LOCAL_CONNECTIVITY.join(", ")}, got "${raw}"`);
  }
  return found;
}

/** Parses `--protocol`; undefined gives the stack's default, `http`. */
export function parsePredictProtocolOption(raw: string | undefined): LocalPredictProtocol {
  if (raw === undefined) return "http";
  const found = LOCAL_PREDICT_PROTOCOLS.find((p) => p === raw);
  if (found === undefined) {
    throw new Error(`--protocol must be one of ${LOCAL_PREDICT_PROTOCOLS.join(", ")}, got "${raw}"`);
  }
  return found;
}
