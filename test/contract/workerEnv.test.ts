/**
 * `toWorkerEnv` is the one encoder of worker settings into environment variables, used by the
 * deployment (`workerEnvironment`) and the local runner (`localWorkerEnv`).
 */
import { describe, expect, it } from "vitest";
import { toWorkerEnv, WORKER_ENV } from "../../contract";
import { loadWorkerConfig } from "../../worker/src/config";

describe("toWorkerEnv", () => {
  it("writes set keys in WORKER_ENV order, numbers in decimal, and leaves unset keys out", () => {
    const env = toWorkerEnv({ maxBatchSize: 50, projectId: "p", healthPort: 0, logLevel: undefined });
    expect(env).toEqual([
      { name: WORKER_ENV.projectId, value: "p" },
      { name: WORKER_ENV.maxBatchSize, value: "50" },
      { name: WORKER_ENV.healthPort, value: "0" },
    ]);
  });

  it("passes non-string values (Pulumi inputs) through as they are", () => {
    const output = { promise: "an Output stands here" };
    expect(toWorkerEnv<typeof output>({ subscription: output })).toEqual([
      { name: WORKER_ENV.subscription, value: output },
    ]);
  });

  it("ignores keys that are not WORKER_ENV keys", () => {
    const values = { modelId: "m", notAnEnvKey: "x" } as Parameters<typeof toWorkerEnv>[0];
    expect(toWorkerEnv(values)).toEqual([{ name: WORKER_ENV.modelId, value: "m" }]);
  });

  it("writes what the worker's parser reads back", () => {
    const env = toWorkerEnv({
      projectId: "p",
      region: "us-central1",
      subscription: "in",
      predictionsTopic: "out",
      deadLetterTopic: "dlq",
      bigtableInstance: "i",
      bigtableTable: "t",
      bigtableAppProfile: "a",
      vertexEndpointId: "123",
      vertexLocation: "us-central1",
      modelId: "m",
      maxBatchSize: 37,
      maxBatchDelayMs: 250,
      metricsExporter: "none",
    });
    const config = loadWorkerConfig(Object.fromEntries(env.map(({ name, value }) => [name, value])));
    expect(config).toMatchObject({
      subscription: "in",
      maxBatchSize: 37,
      maxBatchDelayMs: 250,
      modelId: "m",
    });
  });
});
