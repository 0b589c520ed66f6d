import { describe, expect, it } from "vitest";
import { runPolicies } from "../../policies/src";
import { COMPLIANT_STACK } from "./fixtures/compliantResources";

describe("the hand-built compliant stack", () => {
  it("passes every policy of the pack, resource and stack alike", async () => {
    expect(await runPolicies(COMPLIANT_STACK)).toEqual([]);
  });
});
