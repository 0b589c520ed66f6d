/**
 * Google Cloud locations: KMS key names, zones, regions and the multi-regions
 * (`us`, `europe`, `asia`) a key can live in.
 */

export interface KmsKeyName {
  project: string;
  /** A region (`us-central1`), a multi-region (`us`, `europe`, `asia`) or `global`. */
  location: string;
  keyRing: string;
  cryptoKey: string;
}

const KEY_NAME = /^projects\/([^/]+)\/locations\/([^/]+)\/keyRings\/([^/]+)\/cryptoKeys\/([^/]+)$/;

/** Parses `projects/<p>/locations/<loc>/keyRings/<ring>/cryptoKeys/<key>`. */
export function parseKmsKeyName(name: string): KmsKeyName | undefined {
  const m = KEY_NAME.exec(name);
  if (!m) return undefined;
  const [, project, location, keyRing, cryptoKey] = m as unknown as [string, string, string, string, string];
  return { project, location, keyRing, cryptoKey };
}

/** `us-central1-b` -> `us-central1`. */
export function regionOfZone(zone: string): string {
  return zone.replace(/-[a-z]$/, "");
}

/** The KMS multi-region whose data centres include `region`, if any. */
export function multiRegionOf(region: string): string | undefined {
  if (region.startsWith("us-")) return "us";
  if (region.startsWith("europe-")) return "europe";
  if (region.startsWith("asia-")) return "asia";
  return undefined;
}

/** Where Cloud KMS keeps keys for data in a BigQuery location: `US` -> `us`, `EU` -> `europe`, a region as is. */
export { kmsLocationOfBigQuery as kmsLocationOf } from "../../contract/gcp";

/**
 * True when a key in `keyLocation` may protect data stored in every one of `regions`:
 * `global` always, a multi-region when it contains them all, a region when it is the only one.
 */
export function keyLocationCovers(keyLocation: string, regions: readonly string[]): boolean {
  const key = keyLocation.toLowerCase();
  if (key === "global") return true;
  if (regions.length === 0) return false;
  return regions.every((r) => r.toLowerCase() === key || multiRegionOf(r.toLowerCase()) === key);
}

/** The narrowest key locations that cover `regions`, best first (for the fix in a message). */
export function coveringKeyLocations(regions: readonly string[]): string[] {
  const distinct = [...new Set(regions.map((r) => r.toLowerCase()))];
  if (distinct.length === 1) return [distinct[0] as string];
  const multis = new Set(distinct.map(multiRegionOf));
  const [multi] = multis;
  return multis.size === 1 && multi !== undefined ? [multi, "global"] : ["global"];
}
