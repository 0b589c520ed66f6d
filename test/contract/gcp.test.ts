/**
 * The region codes resource names are built from (worker and autoscaler service accounts,
 * Bigtable cluster ids). Two abbreviators used to compute them (`regionCode` for the worker
 * pool, `regionAbbreviation` for Bigtable); before the second was deleted they were checked to
 * agree on every known region, and this table is what both returned. A changed code would
 * rename, and so replace, a deployed service account or Bigtable cluster.
 */
import { describe, expect, it } from "vitest";
import { KNOWN_REGIONS, regionCode, type Region } from "../../contract/gcp";

const CODES: Record<Region, string> = {
  "us-central1": "usc1",
  "us-east1": "use1",
  "us-east4": "use4",
  "us-east5": "use5",
  "us-south1": "uss1",
  "us-west1": "usw1",
  "us-west2": "usw2",
  "us-west3": "usw3",
  "us-west4": "usw4",
  "northamerica-northeast1": "nane1",
  "northamerica-northeast2": "nane2",
  "southamerica-east1": "sae1",
  "europe-west1": "euw1",
  "europe-west2": "euw2",
  "europe-west3": "euw3",
  "europe-west4": "euw4",
  "europe-west6": "euw6",
  "europe-west8": "euw8",
  "europe-west9": "euw9",
  "europe-north1": "eun1",
  "europe-central2": "euc2",
  "europe-southwest1": "eusw1",
  "asia-east1": "ase1",
  "asia-east2": "ase2",
  "asia-northeast1": "asne1",
  "asia-northeast3": "asne3",
  "asia-south1": "ass1",
  "asia-southeast1": "asse1",
  "asia-southeast2": "asse2",
  "australia-southeast1": "ause1",
  "me-west1": "mew1",
};

describe("regionCode", () => {
  it.each(KNOWN_REGIONS)("keeps the code resource names use for %s", (region) => {
    expect(regionCode(region)).toBe(CODES[region]);
  });
});
