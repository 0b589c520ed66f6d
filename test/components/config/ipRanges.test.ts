/** The private services range may overlap no subnet and not the private.googleapis.com VIPs. */
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../components/config";
import { cidrBounds, overlaps } from "../../../components/config/ipRanges";
import { stackConfig } from "../../helpers/stackConfig";

describe("IP ranges in one VPC", () => {
  it("computes CIDR bounds and overlaps", () => {
    expect(cidrBounds("10.0.0.0/8")).toEqual([167772160, 184549375]);
    expect(cidrBounds("10.0.0.300/8")).toBeUndefined();
    expect(overlaps("10.30.0.0/16", "10.30.16.0/20")).toBe(true);
    expect(overlaps("10.130.0.0/16", "10.30.16.0/20")).toBe(false);
  });

  it("refuses a private services range over a subnet, naming the key, the value's clash and what is allowed", () => {
    expect(() =>
      stackConfig("prod", { network: { baseCidr: "10.30.0.0/16", privateServicesCidr: "10.30.16.0/20" } }),
    ).toThrow(ConfigError);
    expect(() =>
      stackConfig("prod", { network: { baseCidr: "10.30.0.0/16", privateServicesCidr: "10.30.16.0/20" } }),
    ).toThrow(
      /streaming-inference:network\.privateServicesCidr is "10\.30\.16\.0\/20": overlaps the us-east1 subnet \(10\.30\.16\.0\/20\)/,
    );
  });

  it("accepts the checked-in stacks' ranges", () => {
    expect(() => stackConfig("prod")).not.toThrow();
    expect(() => stackConfig("staging")).not.toThrow();
  });
});
