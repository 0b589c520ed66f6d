import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import type { InferenceEvent } from "../../contract";
import { callIsolatingRejects } from "../../worker/src/bisect";
import type { Predictor } from "../../worker/src/predictor";
import { scoreBatch, type ScoreDeps } from "../../worker/src/score";
import { featureSource, grpcError, logger, noTelemetry, scriptedPredictor } from "./helpers";

const events = (n: number): InferenceEvent[] =>
  Array.from({ length: n }, (_, i) => ({ eventId: `e${i}`, entityId: `u${i}`, features: { x: i / n } }));

const deps = (over: Partial<ScoreDeps>): ScoreDeps => ({
  features: featureSource(),
  predictor: scriptedPredictor(),
  telemetry: noTelemetry,
  logger,
  maxRequestBytes: 1_000_000,
  maxRetries: 2,
  backoff: { initialDelayMs: 1, multiplier: 1, maxDelayMs: 1 },
  ...over,
});

describe("callIsolatingRejects", () => {
  it.each([2, 7, 16, 50, 64, 100])(
    "isolates one rejected item among %i within 2*log2(N)+1 calls",
    async (n) => {
      for (const badIndex of [0, Math.floor(n / 2), n - 1]) {
        let calls = 0;
        const results = await callIsolatingRejects(
          Array.from({ length: n }, (_, i) => i),
          async (items) => {
            calls++;
            if (items.includes(badIndex)) throw grpcError(status.INVALID_ARGUMENT);
            return items.map((i) => i * 10);
          },
          (err) => (err as { code?: number }).code === status.INVALID_ARGUMENT,
        );
        expect(results.filter((r) => r.kind === "rejected")).toHaveLength(1);
        expect(results[badIndex]?.kind).toBe("rejected");
        results.forEach((r, i) => i !== badIndex && expect(r).toEqual({ kind: "ok", value: i * 10 }));
        expect(calls).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n)) + 1);
      }
    },
  );

  it("marks every item failed (not rejected) when the call fails for another reason", async () => {
    const results = await callIsolatingRejects(
      [1, 2, 3],
      async () => {
        throw grpcError(status.UNAVAILABLE);
      },
      (err) => (err as { code?: number }).code === status.INVALID_ARGUMENT,
    );
    expect(results.map((r) => r.kind)).toEqual(["failed", "failed", "failed"]);
  });
});

describe("scoreBatch", () => {
  it("predicts every event with one feature lookup and one call", async () => {
    const features = featureSource();
    const predictor = scriptedPredictor();
    const verdicts = await scoreBatch(events(4), deps({ features, predictor }));
    expect(verdicts.map((v) => v.kind === "predicted" && v.prediction.score)).toEqual([0, 0.25, 0.5, 0.75]);
    expect(features.calls).toEqual([["u0", "u1", "u2", "u3"]]);
    expect(predictor.requests).toHaveLength(1);
  });

  it("dead-letters the one instance the model rejects and predicts its neighbours", async () => {
    const predictor = scriptedPredictor({ bad: ["u13"] });
    const verdicts = await scoreBatch(events(32), deps({ predictor }));
    expect(verdicts[13]).toMatchObject({ kind: "poison", reason: "model_rejected" });
    expect(verdicts.filter((v) => v.kind === "predicted")).toHaveLength(31);
    expect(predictor.requests.length).toBeLessThanOrEqual(2 * 5 + 1);
  });

  it("dead-letters events with no features stored or inline, and predicts the rest", async () => {
    const batch: InferenceEvent[] = [
      { eventId: "a", entityId: "known" },
      { eventId: "b", entityId: "unknown" },
      { eventId: "c", entityId: "unknown", features: { x: 0.9 } },
    ];
    const predictor = scriptedPredictor();
    const verdicts = await scoreBatch(batch, deps({ features: featureSource(["unknown"]), predictor }));
    expect(verdicts.map((v) => v.kind)).toEqual(["predicted", "poison", "predicted"]);
    expect(verdicts[1]).toMatchObject({
      reason: "no_features",
      message: expect.stringContaining('"unknown"'),
    });
    expect(predictor.requests).toEqual([["known", "unknown"]]);
  });

  it("treats a wrong number of predictions as an error and nacks the batch, never mis-assigning scores", async () => {
    const shortAnswer: Predictor = {
      predict: async (instances) => instances.slice(1).map(() => ({ score: 0.5 })),
    };
    const verdicts = await scoreBatch(events(3), deps({ predictor: shortAnswer }));
    expect(verdicts).toEqual(
      Array(3).fill({
        kind: "retry",
        cause: "bad_model_answer",
        message: "the model returned 2 predictions for 3 instances",
      }),
    );
  });

  it("retries a transient failure, then holds the batch as the model's outage when retries run out", async () => {
    const recovering = scriptedPredictor({ failures: [grpcError(status.UNAVAILABLE)] });
    const ok = await scoreBatch(events(2), deps({ predictor: recovering }));
    expect(ok.map((v) => v.kind)).toEqual(["predicted", "predicted"]);
    expect(recovering.requests).toHaveLength(2);

    const down = scriptedPredictor({
      failures: Array.from({ length: 5 }, () => grpcError(status.UNAVAILABLE)),
    });
    const failed = await scoreBatch(events(2), deps({ predictor: down, maxRetries: 2 }));
    expect(failed.map((v) => v.kind === "outage" && [v.dependency, v.nackCause])).toEqual([
      ["model", "unavailable"],
      ["model", "unavailable"],
    ]);
    expect(down.requests).toHaveLength(3);
  });

  it("holds the whole batch as the feature store's outage when the lookup keeps failing", async () => {
    const verdicts = await scoreBatch(
      events(2),
      deps({
        features: {
          lookup: async () => {
            throw grpcError(status.DEADLINE_EXCEEDED);
          },
        },
      }),
    );
    expect(verdicts.map((v) => v.kind === "outage" && [v.dependency, v.nackCause])).toEqual([
      ["feature_store", "deadline_exceeded"],
      ["feature_store", "deadline_exceeded"],
    ]);
  });

  it("splits a batch over the request size limit and dead-letters an instance that alone exceeds it", async () => {
    const big = (i: number): InferenceEvent => ({
      eventId: `e${i}`,
      entityId: `u${i}`,
      features: Object.fromEntries(Array.from({ length: 40 }, (_, k) => [`feature_${k}`, 0.123456789])),
    });
    const huge: InferenceEvent = {
      eventId: "huge",
      entityId: "huge",
      features: Object.fromEntries(Array.from({ length: 400 }, (_, k) => [`feature_${k}`, 0.123456789])),
    };
    const predictor = scriptedPredictor();
    const batch = [big(0), big(1), huge, big(2), big(3), big(4)];
    const verdicts = await scoreBatch(batch, deps({ predictor, maxRequestBytes: 4_000 }));
    expect(verdicts.map((v) => v.kind)).toEqual([
      "predicted",
      "predicted",
      "poison",
      "predicted",
      "predicted",
      "predicted",
    ]);
    expect(verdicts[2]).toMatchObject({ reason: "instance_too_large" });
    expect(predictor.requests.length).toBeGreaterThan(1);
    expect(predictor.requests.flat()).toEqual(["u0", "u1", "u2", "u3", "u4"]);
    for (const request of predictor.requests) {
      const bytes = JSON.stringify({ instances: batch.filter((e) => request.includes(e.entityId)) }).length;
      expect(bytes).toBeLessThanOrEqual(4_000);
    }
  });
});
