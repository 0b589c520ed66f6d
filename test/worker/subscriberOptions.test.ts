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
    expect(options.flowControl).toEqual({
      maxMessages: 25 * 6 * 2,
      maxBytes: 10 * 1024 * 1024,
      allowExcessMessages: false,
    });
    expect(options.batching).toEqual({ maxMilliseconds: 10 });
    expect(options.minAckDeadline?.totalOf("second")).toBe(60);
    expect(options.streamingOptions?.maxStreams).toBe(2);
  });

  it("opens the configured number of streams and leases for the subscription's ack deadline", () => {
    const options = subscriberOptions(
      loadWorkerConfig({
        ...env,
        [WORKER_ENV.pullStreams]: "4",
        [WORKER_ENV.ackDeadlineSeconds]: "120",
        [WORKER_ENV.maxRequestBytes]: "8000000",
      }),
    );
    expect(options.streamingOptions?.maxStreams).toBe(4);
    expect(options.minAckDeadline?.totalOf("second")).toBe(120);
    // Flow control is one budget for all streams: the stream count does not multiply it.
    expect(options.flowControl?.maxMessages).toBe(50 * 4 * 2);
    expect(options.flowControl?.maxBytes).toBe(16_000_000);
  });

  it("refuses a stream count or ack deadline Pub/Sub would not take, naming the variable", () => {
    expect(() => loadWorkerConfig({ ...env, [WORKER_ENV.pullStreams]: "0" })).toThrow(
      /SI_PULL_STREAMS is "0"; it must be a whole number from 1 to 16/,
    );
    expect(() => loadWorkerConfig({ ...env, [WORKER_ENV.ackDeadlineSeconds]: "5" })).toThrow(
      /SI_ACK_DEADLINE_SECONDS is "5"; it must be a whole number from 10 to 600/,
    );
    expect(() => loadWorkerConfig({ ...env, [WORKER_ENV.batchPolicy]: "eager" })).toThrow(
      /SI_BATCH_POLICY is "eager"; it must be one of work-conserving, timer/,
    );
  });

  it("closes within the drain timeout, nacking what it still holds", () => {
    const options = subscriberOptions(loadWorkerConfig({ ...env, [WORKER_ENV.drainTimeoutMs]: "5000" }));
    expect(options.closeOptions?.behavior).toBe("NACK");
    expect(options.closeOptions?.timeout?.totalOf("millisecond")).toBe(5000);
  });
});
