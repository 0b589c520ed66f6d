/**
 * Facts about Google Cloud the config model and the policy pack check against: regions,
 * their short codes, the multi-region each one belongs to (the GPU table: gpuMachines.ts).
 * Plain data and functions, importing only that sibling: `policies/` loads this on its own.
 */

/** Regions with Pub/Sub, Bigtable, Vertex AI prediction and Cloud Run. */
export const KNOWN_REGIONS = [
  "us-central1",
  "us-east1",
  "us-east4",
  "us-east5",
  "us-south1",
  "us-west1",
  "us-west2",
  "us-west3",
  "us-west4",
  "northamerica-northeast1",
  "northamerica-northeast2",
  "southamerica-east1",
  "europe-west1",
  "europe-west2",
  "europe-west3",
  "europe-west4",
  "europe-west6",
  "europe-west8",
  "europe-west9",
  "europe-north1",
  "europe-central2",
  "europe-southwest1",
  "asia-east1",
  "asia-east2",
  "asia-northeast1",
  "asia-northeast3",
  "asia-south1",
  "asia-southeast1",
  "asia-southeast2",
  "australia-southeast1",
  "me-west1",
] as const;

export type Region = (typeof KNOWN_REGIONS)[number];

const AREA_CODES: Record<string, string> = {
  us: "us",
  northamerica: "na",
  southamerica: "sa",
  europe: "eu",
  asia: "as",
  australia: "au",
  me: "me",
  africa: "af",
};

const DIRECTION_CODES: Record<string, string> = {
  central: "c",
  east: "e",
  west: "w",
  north: "n",
  south: "s",
  northeast: "ne",
  northwest: "nw",
  southeast: "se",
  southwest: "sw",
};

/**
 * A short, unique code for a region, for names with tight length limits (a service account
 * id or a Bigtable cluster id is 6-30 characters), abbreviated the way Google's own docs do:
 * `us-central1` -> `usc1`, `northamerica-northeast1` -> `nane1`, `asia-southeast1` -> `asse1`.
 * Resource names are built from it: changing a code renames (replaces) deployed resources.
 */
export function regionCode(region: string): string {
  const [area = "", ...rest] = region.split("-");
  const parts = rest.map((part) => {
    const m = /^([a-z]+)(\d*)$/.exec(part);
    if (!m) return part;
    const [, word = "", digits = ""] = m;
    return (DIRECTION_CODES[word] ?? word.slice(0, 2)) + digits;
  });
  return (AREA_CODES[area] ?? area.slice(0, 2)) + parts.join("");
}

/**
 * The Cloud KMS / Artifact Registry multi-region a region belongs to, if any. A platform
 * whose regions all share one multi-region keeps its analytics data there (it survives the
 * loss of either region); otherwise `analytics.location` must be set.
 */
export function multiRegionOf(region: string): "us" | "europe" | undefined {
  if (region.startsWith("us-")) return "us";
  if (region.startsWith("europe-")) return "europe";
  return undefined;
}

/** BigQuery names the multi-regions differently from Cloud KMS: `us` -> `US`, `europe` -> `EU`. */
export function bigQueryLocationOf(multiRegion: "us" | "europe"): "US" | "EU" {
  return multiRegion === "us" ? "US" : "EU";
}

/** The Cloud KMS location for data in a BigQuery location: `US` -> `us`, `EU` -> `europe`, a region as is. */
export function kmsLocationOfBigQuery(bigqueryLocation: string): string {
  const location = bigqueryLocation.toLowerCase();
  return location === "eu" ? "europe" : location;
}

// The GPU table lives in its own file; re-exported here, where the config model has always found it.
export { ACCELERATOR_TYPES, checkGpuMachine, type AcceleratorType } from "./gpuMachines";

/**
 * Whether an endpoint type takes gRPC Predict: a VPC-peering private endpoint takes predictions
 * over HTTP only, at its deployed model's `predictHttpUri` (aiplatform v1 `endpoint.proto`
 * `PrivateEndpoints`; FACTS.md); Private Service Connect takes gRPC and HTTP.
 */
export function endpointTakesGrpc(connectivity: "psc" | "peering"): boolean {
  return connectivity !== "peering";
}
