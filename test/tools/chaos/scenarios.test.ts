import { describe, expect, it } from "vitest";
import { chaosScenarios, FULL_SIZES, QUICK_SIZES } from "../../../tools/chaos/scenarios";

describe("the sigkill-x3 scenario", () => {
  for (const [label, sizes] of [
    ["quick", QUICK_SIZES],
    ["full", FULL_SIZES],
  ] as const) {
    it(`(${label}) judges what is still out by the workers' trail, after a wait longer than the tails seen`, () => {
      const scenario = chaosScenarios(sizes).find((s) => s.name === "sigkill-x3")!;
      // The emulator keeps dealing to SIGKILLed workers' dead streams (tools/chaos/emulatorDeadStreams.ts).
      expect(scenario.emulatorDeadStreams).toBe(true);
      // The trail needs the workers' per-message lines.
      expect(scenario.worker?.logLevel).toBe("debug");
      // Tails seen after the last restart: up to ~160 s (message first received at attempt 19).
      expect(scenario.settleTimeoutMs).toBeGreaterThanOrEqual(180_000);
      // The workers run as deployed otherwise (stream count, batching).
      expect(Object.keys(scenario.worker ?? {})).toEqual(["logLevel"]);
    });
  }

  it("is the only scenario judged that way", () => {
    const judged = chaosScenarios(QUICK_SIZES).filter((s) => s.emulatorDeadStreams === true);
    expect(judged.map((s) => s.name)).toEqual(["sigkill-x3"]);
  });
});
