import { describe, expect, it } from "vitest";
import { WORKER_ENV } from "../../contract";
import { loadWorkerConfig } from "../../worker/src/config";
import { subscriberOptions } from "../../worker/src/worker";

const env = {
  [WORKER_ENV.projectId]: "p",
  [WORKER_ENV.subscription]: "s",
  [WORKER_ENV.predictionsTopic]: "t",
  [WORKER_ENV.deadLetterTopic]: "d",
  [WORKER_ENV.bigtableInstance]: "i",
  [WORKER_ENV.vertexEndpointId]: "1",
  [WORKER_ENV.vertexLocation]: "us-central1",
  [WORKER_ENV.modelId]: "m",
};

describe("subscriberOptions", () => {
  it("sizes flow control from the batching settings and flushes acks every 10 ms", () => {
    const options = subscriberOptions(
      loadWorkerConfig({ ...env, [WORKER_ENV.maxBatchSize]: "25", [WORKER_ENV.maxInFlight]: "6" }),
    );
    expect(options.flowControl).toEqual({ maxMessages: 25 * 6 * 2, allowExcessMessages: false });
    expect(options.batching).toEqual({ maxMilliseconds: 10 });
    expect(options.minAckDeadline?.totalOf("second")).toBe(60);
  });

  it("closes within the drain timeout, nacking what it still holds", () => {
    const options = subscriberOptions(loadWorkerConfig({ ...env, [WORKER_ENV.drainTimeoutMs]: "5000" }));
    expect(options.closeOptions?.behavior).toBe("NACK");
    expect(options.closeOptions?.timeout?.totalOf("millisecond")).toBe(5000);
  });
});
