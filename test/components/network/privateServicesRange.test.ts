import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitCidr } from "../../../components/network";

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
