import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { DEFAULT_MODEL_IO, type InferenceEvent, type JsonValue } from "../../contract";
import { ModelAnswerError, type Predictor } from "../../worker/src/predictor";
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

/** A model that answers some entities badly every time (as `answer` says) and the rest with a score. */
function badFor(
  entities: readonly string[],
  answer: "drop" | "out-of-spec" | "error" | "reject",
): Predictor & { requests: string[][] } {
  const requests: string[][] = [];
  return {
    requests,
    async predict(sent) {
      const instances = sent as unknown as Array<{ entityId: string; features: { x: number } }>;
      requests.push(instances.map((i) => i.entityId));
      const isBad = (i: { entityId: string }) => entities.includes(i.entityId);
      if (answer === "reject" && instances.some(isBad)) throw grpcError(status.INVALID_ARGUMENT, "bad shape");
      if (answer === "drop") return instances.filter((i) => !isBad(i)).map((i) => ({ score: i.features.x }));
      return instances.map((i): JsonValue =>
        !isBad(i)
          ? { score: i.features.x }
          : answer === "error"
            ? { error: { message: `cannot score ${i.entityId}` } }
            : { score: 7 },
      );
    },
  };
}

describe("scoreBatch isolates a bad answer to the instances it concerns", () => {
  it.each([2, 7, 16, 50, 64, 100])(
    "one refused instance among %i: dead-lettered within 2*log2(N)+1 calls, the rest predicted",
    async (n) => {
      for (const badIndex of [0, Math.floor(n / 2), n - 1]) {
        const predictor = badFor([`u${badIndex}`], "reject");
        const verdicts = await scoreBatch(events(n), deps({ predictor }));
        expect(verdicts.filter((v) => v.kind === "poison")).toHaveLength(1);
        expect(verdicts[badIndex]).toMatchObject({ kind: "poison", reason: "model_rejected" });
        verdicts.forEach((v, i) => i !== badIndex && expect(v.kind).toBe("predicted"));
        expect(predictor.requests.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n)) + 1);
      }
    },
  );

  it.each(["out-of-spec", "error"] as const)(
    "an %s prediction for one instance: only it is sent again, then dead-lettered with the model's message",
    async (answer) => {
      const predictor = badFor(["u3"], answer);
      const verdicts = await scoreBatch(events(8), deps({ predictor, maxRetries: 2 }));
      verdicts.forEach((v, i) => i !== 3 && expect(v).toMatchObject({ kind: "predicted" }));
      expect(verdicts[3]).toMatchObject({
        kind: "poison",
        reason: "bad_model_answer",
        message: expect.stringContaining(answer === "error" ? "cannot score u3" : "7"),
      });
      // One call for the batch, then the bad instance alone once per retry.
      expect(predictor.requests).toEqual([events(8).map((e) => e.entityId), ["u3"], ["u3"]]);
    },
  );

  it("a prediction missing for one instance: found by bisection, never a score given to the wrong event", async () => {
    const predictor = badFor(["u5"], "drop");
    const verdicts = await scoreBatch(events(8), deps({ predictor, maxRetries: 1 }));
    verdicts.forEach((v, i) => {
      if (i === 5) expect(v).toMatchObject({ kind: "poison", reason: "bad_model_answer" });
      else expect(v).toMatchObject({ kind: "predicted", prediction: { score: i / 8 } });
    });
    expect(verdicts[5]).toMatchObject({ message: expect.stringContaining("0 predictions for 1 instance") });
  });

  it("an answer wrong once is sent again and predicted, batch-mates untouched", async () => {
    let wrongOnce = true;
    const requests: number[] = [];
    const flaky: Predictor = {
      async predict(sent) {
        requests.push(sent.length);
        const instances = sent as unknown as Array<{ features: { x: number } }>;
        return instances.map((i, k) => {
          if (k === 1 && wrongOnce) {
            wrongOnce = false;
            return { score: Number.NaN };
          }
          return { score: i.features.x };
        });
      },
    };
    const verdicts = await scoreBatch(events(4), deps({ predictor: flaky }));
    expect(verdicts.map((v) => v.kind)).toEqual(["predicted", "predicted", "predicted", "predicted"]);
    expect(requests).toEqual([4, 1]);
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
    const verdicts = await scoreBatch(
      batch,
      deps({
        features: featureSource(["unknown"]),
        predictor,
        modelIo: { ...DEFAULT_MODEL_IO, missingFeatures: "flag" },
      }),
    );
    expect(verdicts.map((v) => v.kind)).toEqual(["predicted", "poison", "predicted"]);
    expect(verdicts[2]).toMatchObject({ degraded: "missing_stored_row" });
    expect(verdicts[1]).toMatchObject({
      reason: "no_features",
      message: expect.stringContaining('"unknown"'),
    });
    expect(predictor.requests).toEqual([["known", "unknown"]]);
  });

  it("nacks the batch (cause bad_model_answer) when the answer is not an answer at all", async () => {
    const garbage: Predictor = {
      predict: async () => {
        throw new ModelAnswerError("HTTP 200 from model: the body is not JSON");
      },
    };
    const verdicts = await scoreBatch(events(3), deps({ predictor: garbage }));
    expect(verdicts).toEqual(
      Array(3).fill({
        kind: "retry",
        cause: "bad_model_answer",
        message: "HTTP 200 from model: the body is not JSON",
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
