import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KNOWN_REGIONS } from "../../components";
import { PREDICTION_TABLE_SCHEMA } from "../../contract";
import { schemaTakesMetadata } from "../../components/analytics";
import { clusterIdFor, clusterZoneFor } from "../../components/featureStore";
import { regionCode } from "../../contract/gcp";
import { splitCidr } from "../../components/network";

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

describe("BigQuery subscription metadata", () => {
  it("is written only when the table has every metadata column", () => {
    expect(schemaTakesMetadata(PREDICTION_TABLE_SCHEMA)).toBe(false);
    const withMetadata = [
      ...PREDICTION_TABLE_SCHEMA,
      ...["subscription_name", "message_id", "publish_time", "attributes"].map((name) => ({ name })),
    ];
    expect(schemaTakesMetadata(withMetadata)).toBe(true);
    expect(schemaTakesMetadata(withMetadata.filter((f) => f.name !== "attributes"))).toBe(false);
  });
});

describe("private services range", () => {
  it("splits any IPv4 CIDR into address and prefix length", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 8, max: 29 }), (address, prefixLength) => {
        expect(splitCidr(`${address}/${prefixLength}`)).toEqual({ address, prefixLength });
      }),
    );
  });

  it("names the bad value", () => {
    expect(() => splitCidr("10.1.0.0")).toThrow(
      'privateServicesCidr "10.1.0.0" is not an IPv4 CIDR like 10.130.0.0/16',
    );
  });
});
