/**
 * The endpoint types the stand-in plays, and the rules each enforces, copied from
 * Vertex AI (aiplatform v1 `endpoint.proto` `PrivateEndpoints`; docs "Use private
 * endpoints for online prediction" and "Use dedicated private endpoints based on
 * Private Service Connect for online inference"):
 *
 * | type    | gRPC Predict                                   | HTTP                                              |
 * | ------- | ---------------------------------------------- | ------------------------------------------------- |
 * | public  | yes, at the regional API host                  | `/v1/projects/P/locations/L/endpoints/E:predict`  |
 * | psc     | yes, with `x-vertex-ai-endpoint-id: E`          | `/v1/projects/P/locations/L/endpoints/E:predict`  |
 * | peering | no: the API does not serve private endpoints   | only the deployed model's `predictHttpUri`,       |
 * |         |                                                | `/v1/models/<deployed model id>:predict`          |
 *
 * Requests are capped at 1.5 MB on public endpoints and 10 MB on private and PSC ones.
 */
import { VERTEX_REQUEST_LIMIT_BYTES } from "../../contract";

export const STAND_IN_CONNECTIVITY = ["public", "psc", "peering"] as const;
export type StandInConnectivity = (typeof STAND_IN_CONNECTIVITY)[number];

/** The gRPC metadata a PSC endpoint routes on. */
export const ENDPOINT_ID_HEADER = "x-vertex-ai-endpoint-id";

/** Request size caps by endpoint type, bytes (`VERTEX_REQUEST_LIMIT_BYTES`, contract/settings.ts, cites the source). */
export const REQUEST_LIMIT_BYTES: Record<StandInConnectivity, number> = {
  public: VERTEX_REQUEST_LIMIT_BYTES.public,
  psc: VERTEX_REQUEST_LIMIT_BYTES.private,
  peering: VERTEX_REQUEST_LIMIT_BYTES.private,
};

export function parseConnectivity(raw: string): StandInConnectivity {
  const found = STAND_IN_CONNECTIVITY.find((c) => c === raw);
  if (found === undefined) {
    throw new Error(`connectivity must be one of ${STAND_IN_CONNECTIVITY.join(", ")}, got "${raw}"`);
  }
  return found;
}
