/**
 * The payload of a predict call as a model's spec says: instance shapes (object, array),
 * `parameters`, the request-size split for both shapes, and predictions passed through
 * whole with the output spec's checks.
 */
import { describe, expect, it } from "vitest";
import type { FeatureSpec, InferenceEvent, JsonValue, ModelIoSpec } from "../../contract";
import type { FeatureRows, FeatureSource } from "../../worker/src/enrich";
import { buildInstance } from "../../worker/src/instances";
import { ModelAnswerError, validatePredictions } from "../../worker/src/predictionSpec";
import type { Predictor } from "../../worker/src/predictor";
import { instanceBytes, REQUEST_OVERHEAD_BYTES } from "../../worker/src/requestSize";
import { scoreBatch, type ScoreDeps } from "../../worker/src/score";
import { logger, noTelemetry } from "./helpers";

const IRIS: FeatureSpec[] = ["sepal_length", "sepal_width", "petal_length", "petal_width"].map((name) => ({
  name,
  type: "number",
  source: "either",
  required: true,
}));

/** Every entity has the 4 iris measurements stored, as cell text. */
const irisStore = (): FeatureSource => ({
  async lookup(ids) {
    const rows: FeatureRows = new Map();
    for (const id of ids)
      rows.set(id, { sepal_length: "5.1", sepal_width: "3.5", petal_length: "1.4", petal_width: "0.2" });
    return rows;
  },
});

/** Records every request; answers with what `answer` makes of each instance. */
function recordingPredictor(answer: (instance: JsonValue) => JsonValue) {
  const requests: JsonValue[][] = [];
  const predictor: Predictor = {
    async predict(instances) {
      requests.push([...instances]);
      return instances.map(answer);
    },
  };
  return { predictor, requests };
}

const deps = (over: Partial<ScoreDeps>): ScoreDeps => ({
  features: irisStore(),
  predictor: recordingPredictor(() => ({ score: 0.5 })).predictor,
  telemetry: noTelemetry,
  logger,
  maxRequestBytes: 1_000_000,
  maxRetries: 0,
  backoff: { initialDelayMs: 1, multiplier: 1, maxDelayMs: 1 },
  ...over,
});

const events = (n: number, features?: InferenceEvent["features"]): InferenceEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    eventId: `e${i}`,
    entityId: `u${i}`,
    ...(features ? { features } : {}),
  }));

const irisIo: ModelIoSpec = { features: IRIS, instanceShape: "array", output: { labelField: "label" } };

describe("buildInstance", () => {
  it("builds today's object shape, leaving out absent optional features", () => {
    expect(buildInstance("u1", { a: 1, b: "x", c: null }, "object", undefined)).toEqual({
      entityId: "u1",
      features: { a: 1, b: "x" },
    });
  });

  it("builds an array in declared order, whatever order the features were found in, null for an absent optional one", () => {
    const declared: FeatureSpec[] = [
      { name: "b", type: "string", source: "either", required: true },
      { name: "a", type: "number", source: "either", required: false },
      { name: "c", type: "number[]", source: "either", required: true },
    ];
    expect(buildInstance("u1", { c: [1, 2], a: null, b: "x" }, "array", declared)).toEqual([
      "x",
      null,
      [1, 2],
    ]);
  });
});

describe("scoreBatch with a model spec", () => {
  it("sends array instances and the parameters, and passes each prediction through whole with its label", async () => {
    const { predictor, requests } = recordingPredictor((instance) => ({
      label: (instance as number[])[2]! < 2.5 ? "setosa" : "virginica",
      probabilities: { setosa: 0.9, virginica: 0.1 },
    }));
    const verdicts = await scoreBatch(
      events(2, { petal_length: 4.8 }).concat(events(1)),
      deps({ predictor, modelIo: irisIo }),
    );
    expect(requests).toEqual([
      [
        [5.1, 3.5, 4.8, 0.2],
        [5.1, 3.5, 4.8, 0.2],
        [5.1, 3.5, 1.4, 0.2],
      ],
    ]);
    expect(verdicts[2]).toMatchObject({
      kind: "predicted",
      prediction: {
        prediction: { label: "setosa", probabilities: { setosa: 0.9, virginica: 0.1 } },
        label: "setosa",
      },
    });
    expect(verdicts[2]).not.toHaveProperty("prediction.score");
  });

  it("dead-letters the events whose features do not fit and predicts the rest of the batch", async () => {
    const { predictor, requests } = recordingPredictor(() => ({ label: "setosa" }));
    const batch: InferenceEvent[] = [
      { eventId: "ok", entityId: "u1" },
      { eventId: "bad", entityId: "u2", features: { sepal_width: "wide" } },
    ];
    const verdicts = await scoreBatch(batch, deps({ predictor, modelIo: irisIo }));
    expect(verdicts.map((v) => v.kind)).toEqual(["predicted", "poison"]);
    expect(verdicts[1]).toMatchObject({
      reason: "bad_feature",
      message: expect.stringContaining('"sepal_width"'),
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toHaveLength(1);
  });

  it.each<[string, ModelIoSpec]>([
    ["object", { instanceShape: "object", output: { scoreField: "score" }, parameters: { threshold: 0.7 } }],
    ["array", { ...irisIo, output: {}, parameters: { threshold: 0.7 } }],
  ])("keeps every %s request, parameters included, under maxRequestBytes", async (_shape, modelIo) => {
    const { predictor, requests } = recordingPredictor(() => ({ score: 0.5 }));
    const one = buildInstance(
      "u0",
      { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
      modelIo.instanceShape,
      IRIS,
    );
    // Room for exactly 3 instances once the envelope and the parameters are counted.
    const parametersBytes = instanceBytes({ parameters: modelIo.parameters });
    const maxRequestBytes = REQUEST_OVERHEAD_BYTES + parametersBytes + 3 * (instanceBytes(one) + 1);
    const verdicts = await scoreBatch(events(10), deps({ predictor, modelIo, maxRequestBytes }));
    expect(verdicts.every((v) => v.kind === "predicted")).toBe(true);
    expect(requests.map((r) => r.length)).toEqual([3, 3, 3, 1]);
    for (const request of requests) {
      const body = JSON.stringify({ instances: request, parameters: modelIo.parameters });
      expect(Buffer.byteLength(body) + REQUEST_OVERHEAD_BYTES).toBeLessThanOrEqual(
        maxRequestBytes + REQUEST_OVERHEAD_BYTES,
      );
    }
  });

  it("predicts the batch-mates of an answer out of the output spec, and dead-letters that one with the model's answer", async () => {
    const { predictor } = recordingPredictor((instance): JsonValue =>
      (instance as number[])[2] === 9 ? { probabilities: [1] } : { label: "setosa" },
    );
    const batch: InferenceEvent[] = [
      { eventId: "a", entityId: "u1" },
      { eventId: "b", entityId: "u2", features: { petal_length: 9 } },
    ];
    const verdicts = await scoreBatch(batch, deps({ predictor, modelIo: irisIo }));
    expect(verdicts[0]).toMatchObject({ kind: "predicted", prediction: { label: "setosa" } });
    expect(verdicts[1]).toMatchObject({
      kind: "poison",
      reason: "bad_model_answer",
      message: expect.stringContaining(
        'is {"probabilities":[1]}; expected a string or number at "label", found nothing',
      ),
    });
  });
});

describe("validatePredictions with an output spec", () => {
  it("passes any JSON value through when the spec asks nothing", () => {
    const raw: JsonValue[] = [7, "text", [0.1, 0.9], null, { nested: { deep: true } }];
    expect(validatePredictions(raw, 5, {})).toEqual(raw.map((prediction) => ({ prediction })));
  });

  it("extracts a score at a dot path (array indexes included) and a numeric label as text", () => {
    expect(
      validatePredictions([{ result: { scores: [0.2, 0.8] }, classId: 3 }], 1, {
        scoreField: "result.scores.1",
        labelField: "classId",
      }),
    ).toEqual([{ prediction: { result: { scores: [0.2, 0.8] }, classId: 3 }, score: 0.8, label: "3" }]);
  });

  it.each<
    [JsonValue, { scoreField?: string; scoreMin?: number; scoreMax?: number; labelField?: string }, string]
  >([
    [
      { s: 5 },
      { scoreField: "s", scoreMax: 1 },
      'prediction 0 is {"s":5}; expected a number <= 1 at "s", found number 5',
    ],
    [{ s: [1] }, { scoreField: "s" }, 'prediction 0 is {"s":[1]}; expected a number at "s", found array [1]'],
    [
      { l: true },
      { labelField: "l" },
      'prediction 0 is {"l":true}; expected a string or number at "l", found boolean true',
    ],
  ])("refuses %j under %j", (prediction, output, message) => {
    expect(() => validatePredictions([prediction], 1, output)).toThrow(new ModelAnswerError(message));
  });

  it("still refuses a wrong prediction count, whatever the spec", () => {
    expect(() => validatePredictions([1, 2], 3, {})).toThrow(
      new ModelAnswerError("the model returned 2 predictions for 3 instances"),
    );
  });
});
