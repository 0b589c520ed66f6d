import { describe, expect, it } from "vitest";
import { regionCode } from "../../../contract/gcp";
import { KNOWN_REGIONS } from "../../../components/config";

describe("regionCode", () => {
  it("abbreviates area and direction, keeping the number", () => {
    expect(regionCode("us-central1")).toBe("usc1");
    expect(regionCode("northamerica-northeast2")).toBe("nane2");
    expect(regionCode("asia-south1")).toBe("ass1");
    expect(regionCode("asia-southeast1")).toBe("asse1");
  });

  it("gives every known region a distinct code short enough for a service account id", () => {
    const codes = KNOWN_REGIONS.map(regionCode);
    expect(new Set(codes).size).toBe(KNOWN_REGIONS.length);
    // "<prefix up to 15>-wk-<code>" must fit in 30 characters.
    expect(Math.max(...codes.map((c) => c.length))).toBeLessThanOrEqual(30 - 15 - 4);
  });
});
