import { describe, expect, it } from "vitest";
import { KNOWN_REGIONS } from "../../../components";
import { clusterIdFor, clusterZoneFor } from "../../../components/featureStore";
import { regionCode } from "../../../contract/gcp";

describe("Bigtable cluster ids", () => {
  it("abbreviates regions the way Google does", () => {
    expect(regionCode("us-central1")).toBe("usc1");
    expect(regionCode("northamerica-northeast1")).toBe("nane1");
    expect(regionCode("europe-west4")).toBe("euw4");
    expect(regionCode("australia-southeast1")).toBe("ause1");
  });

  it("gives every known region a distinct, valid id, even with the longest allowed prefix", () => {
    const longest = "abcdefghijklmno-features"; // a 15-character prefix
    const ids = KNOWN_REGIONS.map((r) => clusterIdFor(longest, r));
    expect(new Set(ids).size).toBe(KNOWN_REGIONS.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9-]{5,29}$/);
  });

  it("rejects an id over 30 characters with the fix", () => {
    expect(() => clusterIdFor("a-very-long-instance-id-1234", "us-central1")).toThrow(
      /longer than 30 characters; shorten the name prefix/,
    );
  });

  it("places clusters in zone b unless told otherwise", () => {
    expect(clusterZoneFor("us-east1")).toBe("us-east1-b");
    expect(clusterZoneFor("us-east1", { "us-east1": "us-east1-c" })).toBe("us-east1-c");
  });
});
