/**
 * Bigtable cluster ids and zones. A cluster id is 6-30 characters, so
 * `<prefix>-<region>` does not always fit (`northamerica-northeast1` alone is 23);
 * regions are abbreviated by `regionCode` (`us-central1` -> `usc1`).
 */
import { regionCode } from "../../contract/gcp";

/** The cluster id of a region: `<instanceId>-<abbreviation>`. */
export function clusterIdFor(instanceId: string, region: string): string {
  const id = `${instanceId}-${regionCode(region)}`;
  if (id.length > 30) {
    throw new Error(`Bigtable cluster id "${id}" is longer than 30 characters; shorten the name prefix`);
  }
  return id;
}

/**
 * The zone of a region's cluster: the override if given, else zone `b`, which every
 * region with Bigtable has (not every region has `a`: us-east1 starts at `b`).
 */
export function clusterZoneFor(region: string, overrides: Record<string, string> = {}): string {
  return overrides[region] ?? `${region}-b`;
}
