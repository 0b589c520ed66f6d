import { describe, expect, it } from "vitest";
import { BATCHING_DEFAULTS } from "../../../contract";
import { PAUSE_AT_FLOW_CONTROL_MULTIPLE } from "../../../worker/src/pullBackpressure";
import {
  chaosScenarios,
  FULL_SIZES,
  MODEL_OUTAGE_SECONDS,
  OUTAGE_RATE,
  QUICK_SIZES,
  TOPIC_OUTAGE_SECONDS,
} from "../../../tools/chaos/scenarios";

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

describe("the dependency outage scenarios", () => {
  it("keep their full length in --quick, allow no dead letter, and run beside the sequence", () => {
    for (const sizes of [QUICK_SIZES, FULL_SIZES]) {
      const byName = new Map(chaosScenarios(sizes).map((s) => [s.name, s]));
      const model = byName.get("model-unreachable-60s")!;
      const topic = byName.get("predictions-topic-outage")!;
      expect(MODEL_OUTAGE_SECONDS).toBe(60);
      expect(TOPIC_OUTAGE_SECONDS).toBe(30);
      expect(model.modelProxy).toBe(true);
      for (const scenario of [model, topic]) {
        expect(scenario.noDeadLetters).toBe(true);
        expect(scenario.concurrent).toBe(true);
      }
      // Publishing lasts longer than the outage (mid-stream), and what arrives during the longest
      // outage stays under the point where the client pauses its streams (10 x flow control of the
      // default batching), see OUTAGE_RATE.
      expect(model.messages / model.rate).toBeGreaterThan(MODEL_OUTAGE_SECONDS);
      expect(topic.messages / topic.rate).toBeGreaterThan(TOPIC_OUTAGE_SECONDS);
      const flowControl = BATCHING_DEFAULTS.maxBatchSize * BATCHING_DEFAULTS.maxInFlight * 2;
      expect(OUTAGE_RATE * MODEL_OUTAGE_SECONDS).toBeLessThan(flowControl * PAUSE_AT_FLOW_CONTROL_MULTIPLE);
    }
  });
});
