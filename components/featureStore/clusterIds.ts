/**
 * Bigtable cluster ids and zones. A cluster id is 6-30 characters, so
 * `<prefix>-<region>` does not always fit (`northamerica-northeast1` alone is 23);
 * regions are abbreviated the way Google's own docs do (`us-central1` -> `usc1`).
 */
const DIRECTIONS: Record<string, string> = {
  northeast: "ne",
  northwest: "nw",
  southeast: "se",
  southwest: "sw",
  north: "n",
  south: "s",
  east: "e",
  west: "w",
  central: "c",
};

/** `us-central1` -> `usc1`, `northamerica-northeast1` -> `nane1`, `europe-west4` -> `euw4`. */
export function regionAbbreviation(region: string): string {
  const [area = "", where = ""] = region.split("-");
  const areaShort = area.length <= 2 ? area : area.endsWith("america") ? `${area[0]}a` : area.slice(0, 2);
  const match = /^([a-z]+)(\d+)$/.exec(where);
  const direction = match ? (DIRECTIONS[match[1]!] ?? match[1]!) : where;
  return `${areaShort}${direction}${match?.[2] ?? ""}`;
}

/** The cluster id of a region: `<instanceId>-<abbreviation>`. */
export function clusterIdFor(instanceId: string, region: string): string {
  const id = `${instanceId}-${regionAbbreviation(region)}`;
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
