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
  it("is backlog in prod and staging as checked in", () => {
    expect(scalingOf(stackInput("prod"))).toEqual({
      mode: "backlog",
      targetBacklogPerInstance: 1000,
      minInstances: 2,
      maxInstances: 10,
      cooldownSeconds: 300,
    });
    expect(scalingOf(stackInput("staging"))).toEqual({
      mode: "backlog",
      targetBacklogPerInstance: 1000,
      minInstances: 1,
      maxInstances: 2,
      cooldownSeconds: 300,
    });
  });

  it("defaults to backlog in every environment when not written", () => {
    expect(scalingOf(withWorker("prod", {})).mode).toBe("backlog");
    expect(scalingOf(withWorker("staging", {}))).toEqual({
      mode: "backlog",
      targetBacklogPerInstance: 1000,
      minInstances: 1,
      maxInstances: 4,
      cooldownSeconds: 300,
    });
  });

  it("keeps the older worker.minInstances / maxInstances keys working as the bounds", () => {
    expect(scalingOf(withWorker("prod", { minInstances: 3, maxInstances: 12 }))).toMatchObject({
      mode: "backlog",
      minInstances: 3,
      maxInstances: 12,
    });
    expect(scalingOf(withWorker("staging", { minInstances: 2, maxInstances: 5 }))).toMatchObject({
      mode: "backlog",
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
    expect(problems(withWorker("prod", { scaling: { mode: "manual", cooldownSeconds: 60 } }))).toEqual([
      expect.stringContaining("streaming-inference:worker.scaling") as string,
    ]);
    expect(problems(withWorker("prod", { scaling: { mode: "sometimes" } }))[0]).toContain(
      "worker.scaling.mode",
    );
  });

  it("rejects bounds that cross", () => {
    expect(
      problems(withWorker("prod", { scaling: { mode: "backlog", minInstances: 8, maxInstances: 4 } })),
    ).toEqual([
      "streaming-inference:worker.scaling.minInstances is 8: must not exceed the maximum instance count (4)",
    ]);
    expect(problems(withWorker("staging", { minInstances: 5, maxInstances: 4 }))).toEqual([
      "streaming-inference:worker.minInstances is 5: must not exceed the maximum instance count (4)",
    ]);
  });

  it("refuses CPU scaling, which worker pools have only before GA, and says what to use", () => {
    expect(
      problems(withWorker("staging", { scaling: { mode: "cpu", minInstances: 1, maxInstances: 2 } })),
    ).toEqual([
      expect.stringMatching(
        /^streaming-inference:worker\.scaling.*cpu scaling is not in the Cloud Run v2 API: worker pool scaling has only manualInstanceCount .*use mode: backlog \(CREMA, with minInstances\/maxInstances\) or mode: manual \(instances\)$/,
      ) as string,
    ]);
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
