import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { startVertexStandIn, type VertexStandIn } from "../../local/vertex";
import type { JsonValue } from "../../contract";
import { ModelAnswerError, validatePredictions, VertexPredictor } from "../../worker/src/predictor";
import { REQUEST_OVERHEAD_BYTES, splitBySize } from "../../worker/src/requestSize";

describe("validatePredictions (today's contract: { score: number in [0, 1] })", () => {
  it("passes each prediction through whole, with its score, when there is exactly one valid prediction per instance", () => {
    expect(validatePredictions([{ score: 0 }, { score: 0.5, extra: "x" }, { score: 1 }], 3)).toEqual([
      { prediction: { score: 0 }, score: 0 },
      { prediction: { score: 0.5, extra: "x" }, score: 0.5 },
      { prediction: { score: 1 }, score: 1 },
    ]);
  });

  it.each<[JsonValue[], number, string]>([
    [[{ score: 0.1 }], 2, "the model returned 1 predictions for 2 instances"],
    [[{ score: 0.1 }, { score: 0.2 }, { score: 0.3 }], 2, "the model returned 3 predictions for 2 instances"],
    [
      [{ score: 0.1 }, { label: "fraud" }],
      2,
      'prediction 1 is {"label":"fraud"}; expected a number in [0, 1] at "score", found nothing',
    ],
    [
      [{ score: "0.1" }],
      1,
      'prediction 0 is {"score":"0.1"}; expected a number in [0, 1] at "score", found string "0.1"',
    ],
    [
      [{ score: 1.5 }],
      1,
      'prediction 0 is {"score":1.5}; expected a number in [0, 1] at "score", found number 1.5',
    ],
    [[null], 1, 'prediction 0 is null; expected a number in [0, 1] at "score", found nothing'],
  ])("rejects %j for %i instances", (raw, expected, message) => {
    expect(() => validatePredictions(raw, expected)).toThrow(new ModelAnswerError(message));
  });
});

describe("splitBySize", () => {
  it("keeps order, keeps every chunk within the limit and sets aside only items that cannot fit alone", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3000 }), { maxLength: 60 }),
        fc.integer({ min: 1000, max: 20_000 }),
        (sizes, limit) => {
          const items = sizes.map((size, id) => ({ id, size }));
          const { chunks, oversized } = splitBySize(items, limit, (item) => item.size);
          const budget = limit - REQUEST_OVERHEAD_BYTES;
          for (const chunk of chunks) {
            expect(chunk.length).toBeGreaterThan(0);
            expect(chunk.reduce((sum, item) => sum + item.size + 1, 0)).toBeLessThanOrEqual(budget);
          }
          expect(oversized.every((item) => item.size + 1 > budget)).toBe(true);
          expect([...chunks.flat(), ...oversized].map((i) => i.id).sort((a, b) => a - b)).toEqual(
            items.map((i) => i.id),
          );
          expect(chunks.flat().map((i) => i.id)).toEqual(
            items.filter((i) => i.size + 1 <= budget).map((i) => i.id),
          );
        },
      ),
    );
  });

  it("sends a batch that fits as one request", () => {
    expect(splitBySize([10, 20, 30], 1_000, (n) => n).chunks).toEqual([[10, 20, 30]]);
  });
});

describe("VertexPredictor against the local PredictionService stand-in (real gRPC client)", () => {
  let standIn: VertexStandIn;
  let predictor: VertexPredictor;

  beforeAll(async () => {
    // Plaintext loopback needs no credentials: skip the metadata-server probe, as the worker's env does.
    process.env.METADATA_SERVER_DETECTION = "none";
    standIn = await startVertexStandIn({ endpointId: "42" });
    predictor = new VertexPredictor({
      projectId: "p",
      location: "us-central1",
      endpointId: "42",
      api: { host: "127.0.0.1", port: standIn.port, plaintext: true },
      // The first call on a cold channel (client set-up, connection, first serialisation) took
      // 220-720 ms on Node 24 on the loaded 2-core machine (33 ms on Node 20), past a 300 ms deadline.
      timeoutMs: 2_000,
    });
  });
  afterAll(async () => {
    await predictor.close();
    await standIn.stop();
  });

  it("sends the instances and returns one prediction per instance, in order", async () => {
    const predictions = (await predictor.predict([
      { entityId: "a", features: { x: 1 } },
      { entityId: "b", features: { x: -1 } },
    ])) as Array<{ score: number }>;
    expect(predictions).toHaveLength(2);
    for (const p of predictions) expect(p.score).toBeGreaterThan(0);
    expect(predictions[0]?.score).not.toEqual(predictions[1]?.score);
  });

  it("surfaces a rejected instance as INVALID_ARGUMENT", async () => {
    await expect(predictor.predict([{ entityId: "a", features: { x: 1e9 } }])).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
    });
  });

  it("hands back an answer with a prediction missing as it came (the count check is validatePredictions')", async () => {
    standIn.setFaults({ wrongCountRate: 1 });
    try {
      const sent = [
        { entityId: "a", features: { x: 1 } },
        { entityId: "b", features: { x: 2 } },
      ];
      const answer = await predictor.predict(sent);
      expect(answer).toHaveLength(1);
      expect(() => validatePredictions(answer, sent.length)).toThrow(ModelAnswerError);
    } finally {
      standIn.setFaults({ wrongCountRate: 0 });
    }
  });

  it("ends a call that never answers at its deadline, as DEADLINE_EXCEEDED", async () => {
    standIn.setFaults({ hangRate: 1 });
    try {
      const started = Date.now();
      await expect(predictor.predict([{ entityId: "a", features: { x: 1 } }])).rejects.toMatchObject({
        code: status.DEADLINE_EXCEEDED,
      });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      standIn.setFaults({ hangRate: 0 });
    }
  });
});
