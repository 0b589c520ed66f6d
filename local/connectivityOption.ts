/** The `--connectivity psc|peering` option shared by `npm start`, bench and chaos. */
import { LOCAL_CONNECTIVITY, type LocalConnectivity } from "./platform";

export const CONNECTIVITY_USAGE =
  "  --connectivity psc|peering   endpoint type the Vertex stand-in plays and the worker is set up for:\n" +
  "                        psc = gRPC with x-vertex-ai-endpoint-id, peering = HTTP at the predict URI (default psc)";

/** Parses the option's value; undefined gives the stack's default, `psc`. */
export function parseConnectivityOption(raw: string | undefined): LocalConnectivity {
  if (raw === undefined) return "psc";
  const found = LOCAL_CONNECTIVITY.find((c) => c === raw);
  if (found === undefined) {
    throw new Error(`--connectivity must be one of ${LOCAL_CONNECTIVITY.join(", ")}, got "${raw}"`);
  }
  return found;
}
