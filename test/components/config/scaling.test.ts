import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  parsePlatformConfig,
  projectKeys,
  readStackFile,
  workerScalingOf,
  type PlatformConfigInput,
} from "../../../components/config";

type Input = Record<string, unknown> & PlatformConfigInput;
const stackInput = (stack: "staging" | "prod"): Input =>
  projectKeys(readStackFile(path.resolve(__dirname, `../../fixtures/stacks/Pulumi.${stack}.yaml`))) as Input;

/** The stack with `worker` replaced (batching keys kept). */
function withWorker(stack: "staging" | "prod", worker: Record<string, unknown>): Input {
  const input = structuredClone(stackInput(stack));
  const { maxBatchSize, maxInFlight } = input.worker ?? {};
  input.worker = { maxBatchSize, maxInFlight, ...worker } as Input["worker"];
  return input;
}

function problems(input: Input): readonly string[] {
  try {
    parsePlatformConfig(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error("expected the config to be rejected");
}

const scalingOf = (input: Input) => workerScalingOf(parsePlatformConfig(input));

describe("worker.scaling", () => {
  it("is backlog in prod and cpu in staging as checked in", () => {
    expect(scalingOf(stackInput("prod"))).toEqual({
      mode: "backlog",
      targetBacklogPerInstance: 1000,
      minInstances: 2,
      maxInstances: 10,
      cooldownSeconds: 300,
    });
    expect(scalingOf(stackInput("staging"))).toEqual({
      mode: "cpu",
      targetPercent: 60,
      minInstances: 1,
      maxInstances: 2,
    });
  });

  it("defaults by environment when not written: backlog in prod, cpu in staging", () => {
    expect(scalingOf(withWorker("prod", {})).mode).toBe("backlog");
    expect(scalingOf(withWorker("staging", {}))).toEqual({
      mode: "cpu",
      targetPercent: 60,
      minInstances: 1,
      maxInstances: 4,
    });
  });

  it("keeps the older worker.minInstances / maxInstances keys working as the bounds", () => {
    expect(scalingOf(withWorker("prod", { minInstances: 3, maxInstances: 12 }))).toMatchObject({
      mode: "backlog",
      minInstances: 3,
      maxInstances: 12,
    });
    expect(scalingOf(withWorker("staging", { minInstances: 2, maxInstances: 5 }))).toMatchObject({
      mode: "cpu",
      minInstances: 2,
      maxInstances: 5,
    });
  });

  it("refuses the older keys next to worker.scaling, naming where they go", () => {
    expect(problems(withWorker("prod", { scaling: { mode: "backlog" }, minInstances: 2 }))).toEqual([
      "streaming-inference:worker.minInstances is 2: is set next to worker.scaling; move it to worker.scaling.minInstances and remove worker.minInstances",
    ]);
    expect(problems(withWorker("prod", { scaling: { mode: "manual" }, minInstances: 2 }))).toEqual([
      "streaming-inference:worker.minInstances is 2: is set next to worker.scaling; move it to worker.scaling.instances and remove worker.minInstances",
    ]);
  });

  it("takes only the keys of the chosen mode", () => {
    expect(problems(withWorker("prod", { scaling: { mode: "cpu", cooldownSeconds: 60 } }))).toEqual([
      expect.stringContaining("streaming-inference:worker.scaling") as string,
    ]);
    expect(problems(withWorker("prod", { scaling: { mode: "sometimes" } }))[0]).toContain(
      "worker.scaling.mode",
    );
  });

  it("rejects bounds that cross, and CPU scaling from zero", () => {
    expect(
      problems(withWorker("prod", { scaling: { mode: "backlog", minInstances: 8, maxInstances: 4 } })),
    ).toEqual([
      "streaming-inference:worker.scaling.minInstances is 8: must not exceed the maximum instance count (4)",
    ]);
    expect(problems(withWorker("staging", { minInstances: 0 }))).toEqual([
      "streaming-inference:worker.minInstances is 0: must be at least 1 with CPU scaling: an instance that is not running reports no CPU",
    ]);
  });

  it("refuses a CPU target the worker pool API cannot carry", () => {
    expect(problems(withWorker("staging", { scaling: { mode: "cpu", targetPercent: 70 } }))).toEqual([
      expect.stringMatching(
        /^streaming-inference:worker\.scaling\.targetPercent is 70: .*no field for a custom CPU target; remove it or set 60/,
      ) as string,
    ]);
    expect(scalingOf(withWorker("staging", { scaling: { mode: "cpu", targetPercent: 60 } })).mode).toBe(
      "cpu",
    );
  });

  it("wants a backlog target above what one instance holds leased (its flow-control window)", () => {
    // 50 x 4 x 2 = 400 messages leased per instance count as backlog.
    expect(
      problems(withWorker("prod", { scaling: { mode: "backlog", targetBacklogPerInstance: 400 } })),
    ).toEqual([
      "streaming-inference:worker.scaling.targetBacklogPerInstance is 400: one instance already holds up to 400 messages leased (maxBatchSize x maxInFlight x 2), which count as backlog; set it above 400",
    ]);
    expect(
      scalingOf(withWorker("prod", { scaling: { mode: "backlog", targetBacklogPerInstance: 401 } })),
    ).toMatchObject({ targetBacklogPerInstance: 401 });
  });

  it("runs a fixed count in manual mode", () => {
    expect(scalingOf(withWorker("prod", { scaling: { mode: "manual", instances: 3 } }))).toEqual({
      mode: "manual",
      instances: 3,
    });
    expect(scalingOf(withWorker("prod", { scaling: { mode: "manual" } }))).toEqual({
      mode: "manual",
      instances: 1,
    });
  });
});
