import { describe, expect, it } from "vitest";
import { joinNegativeValues } from "../../../local/cli/negativeValues";

describe("joinNegativeValues", () => {
  it("joins a negative number to the option before it", () => {
    expect(joinNegativeValues(["--rate", "-5", "--messages", "10"])).toEqual([
      "--rate=-5",
      "--messages",
      "10",
    ]);
    expect(joinNegativeValues(["--poison", "-.5"])).toEqual(["--poison=-.5"]);
  });

  it("leaves options, values, short flags and everything after -- alone", () => {
    expect(joinNegativeValues(["--quick", "--json", "a.json", "-h"])).toEqual([
      "--quick",
      "--json",
      "a.json",
      "-h",
    ]);
    expect(joinNegativeValues(["--rate=-5"])).toEqual(["--rate=-5"]);
    expect(joinNegativeValues(["--", "--rate", "-5"])).toEqual(["--", "--rate", "-5"]);
  });
});
