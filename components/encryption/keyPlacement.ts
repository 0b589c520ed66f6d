/**
 * Where each service's key lives. A key must sit in the location of the data it
 * protects: Bigtable clusters, Vertex endpoints and Cloud Run services are regional;
 * Pub/Sub takes the shared (multi-region or global) location; a BigQuery dataset needs
 * a key in exactly its own location; Artifact Registry has no `global` location, so
 * it falls back to per-region keys when the shared location is global.
 */
import { kmsLocationOfBigQuery } from "../../contract/gcp";
import type { EncryptedService } from "./services";

/** One key to create: the service it serves, in one Cloud KMS location. */
export interface KeyPlacement {
  service: EncryptedService;
  /** Cloud KMS location (a region, `us`, `eu` or `global`). */
  location: string;
}

export interface PlacementInput {
  regions: readonly string[];
  /** Multi-region (`us`, `eu`) or `global`. */
  sharedLocation: string;
  /** BigQuery dataset location (`US`, `EU` or a region); the key goes to the same place. */
  analyticsLocation: string;
  /** Services to create keys for; defaults to all. */
  services: readonly EncryptedService[];
}

/** The BigQuery dataset location as a Cloud KMS location (`US` -> `us`, `EU` -> `europe`). */
export const kmsLocationOf = kmsLocationOfBigQuery;

function locationsOf(service: EncryptedService, input: PlacementInput): string[] {
  switch (service) {
    case "bigtable":
    case "aiplatform":
    case "run":
      return [...input.regions];
    case "pubsub":
      return [input.sharedLocation];
    case "bigquery":
      return [kmsLocationOf(input.analyticsLocation)];
    case "artifactregistry":
      return input.sharedLocation === "global" ? [...input.regions] : [input.sharedLocation];
  }
}

/** Every (service, location) pair that gets its own key, in a stable order. */
export function keyPlacements(input: PlacementInput): KeyPlacement[] {
  return input.services.flatMap((service) =>
    locationsOf(service, input).map((location) => ({ service, location })),
  );
}

/** Distinct locations that need a key ring, in first-use order. */
export function keyRingLocations(placements: readonly KeyPlacement[]): string[] {
  return [...new Set(placements.map((p) => p.location))];
}
