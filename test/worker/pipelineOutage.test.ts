/**
 * An outage is not poison: when a dependency fails (not the message), the pipeline holds the
 * message (no nack, so no delivery attempt is spent; no dead letter), takes nothing new up,
 * and finishes everything once the dependency's circuit closes.
 */
import { status } from "@grpc/grpc-js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Circuits } from "../../worker/src/circuits";
import type { FeatureSource } from "../../worker/src/enrich";
import { MAX_OUTAGE_HOLDS, Pipeline, type InputMessage } from "../../worker/src/pipeline";
import type { OutgoingMessage, OutputPublisher } from "../../worker/src/publisher";
import { StatsRecorder } from "../../worker/src/stats";
import { featureSource, grpcError, logger, scriptedPredictor } from "./helpers";

type Settlement = "ack" | "nack";

function inputMessage(id: string, body: unknown): InputMessage & { settled: Settlement[] } {
  const settled: Settlement[] = [];
  return {
    id,
    data: Buffer.from(typeof body === "string" ? body : JSON.stringify(body)),
    attributes: {},
    publishTime: new Date("2026-11-22T10:00:00.000Z"),
    settled,
    ackWithResponse: async () => void settled.push("ack"),
    nack: () => void settled.push("nack"),
  };
}

/** A publisher whose topics can be taken away (NOT_FOUND, as a deleted topic answers). */
function switchablePublisher() {
  const down = { predictions: false, deadLetters: false };
  const predictions: OutgoingMessage[] = [];
  const deadLetters: OutgoingMessage[] = [];
  const publisher: OutputPublisher = {
    publishPrediction: async (m) => {
      if (down.predictions) throw grpcError(status.NOT_FOUND, "Topic not found");
      predictions.push(m);
      return "id";
    },
    publishDeadLetter: async (m) => {
      if (down.deadLetters) throw grpcError(status.NOT_FOUND, "Topic not found");
      deadLetters.push(m);
      return "id";
    },
    close: async () => {},
  };
  return { publisher, down, predictions, deadLetters };
}

const event = (i: number) => ({ eventId: `e${i}`, entityId: `u${i}`, features: { x: 0.25 } });

function setUp(over: { predictorFails?: () => boolean; features?: FeatureSource } = {}) {
  const up = { model: true, predictions_topic: true, dead_letter_topic: true, feature_store: true };
  const circuits = new Circuits({
    probes: Object.fromEntries(
      Object.keys(up).map((dep) => [
        dep,
        async () => {
          if (!up[dep as keyof typeof up]) throw grpcError(status.UNAVAILABLE, `${dep} down`);
        },
      ]),
    ),
    logger,
    settings: { firstProbeAfterMs: 100, maxProbeIntervalMs: 100 },
  });
  const out = switchablePublisher();
  const predictor = scriptedPredictor();
  const calls = { predict: 0 };
  const stats = new StatsRecorder();
  const pipeline = new Pipeline(
    {
      modelId: "m1",
      maxBatchSize: 4,
      maxBatchDelayMs: 20,
      maxInFlight: 2,
      maxRequestBytes: 1_000_000,
      maxRetries: 1,
      backoff: { initialDelayMs: 1, multiplier: 1, maxDelayMs: 1 },
    },
    {
      features: over.features ?? featureSource(),
      predictor: {
        predict: async (instances) => {
          calls.predict++;
          if (over.predictorFails?.()) throw grpcError(status.UNAVAILABLE, "connect ECONNREFUSED");
          return predictor.predict(instances);
        },
      },
      publisher: out.publisher,
      telemetry: stats,
      logger,
      circuits,
    },
  );
  return { pipeline, circuits, up, out, calls, stats };
}

describe("Pipeline during an outage", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("holds a batch the model cannot take, pulls nothing new into work, and predicts all once the model answers", async () => {
    let modelDown = true;
    const { pipeline, circuits, up, out, calls } = setUp({ predictorFails: () => modelDown });
    up.model = false;
    const first = [0, 1, 2, 3].map((i) => inputMessage(`m${i}`, event(i)));
    first.forEach((m) => pipeline.push(m));
    await vi.advanceTimersByTimeAsync(50);
    expect(circuits.isOpen("model")).toBe(true);
    expect(first.every((m) => m.settled.length === 0)).toBe(true);
    expect(pipeline.heldForOutage).toBe(4);

    // Arriving while the circuit is open: held untouched, no model call for them.
    const callsBefore = calls.predict;
    const later = [4, 5].map((i) => inputMessage(`m${i}`, event(i)));
    later.forEach((m) => pipeline.push(m));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls.predict).toBe(callsBefore);
    expect(pipeline.heldForOutage).toBe(6);
    expect([...first, ...later].every((m) => m.settled.length === 0)).toBe(true);

    modelDown = false;
    up.model = true;
    await vi.advanceTimersByTimeAsync(500);
    expect(circuits.anyOpen).toBe(false);
    expect([...first, ...later].map((m) => m.settled)).toEqual(Array.from({ length: 6 }, () => ["ack"]));
    expect(out.predictions).toHaveLength(6);
    expect(out.deadLetters).toHaveLength(0);
  });

  it("holds predictions whose topic is gone and publishes them (no new prediction) when it is back", async () => {
    const { pipeline, circuits, up, out, calls } = setUp();
    out.down.predictions = true;
    up.predictions_topic = false;
    const messages = [0, 1].map((i) => inputMessage(`m${i}`, event(i)));
    messages.forEach((m) => pipeline.push(m));
    await vi.advanceTimersByTimeAsync(200);
    expect(circuits.openCircuits().map((c) => c.dependency)).toEqual(["predictions_topic"]);
    expect(messages.every((m) => m.settled.length === 0)).toBe(true);
    const predictCalls = calls.predict;

    out.down.predictions = false;
    up.predictions_topic = true;
    await vi.advanceTimersByTimeAsync(300);
    expect(messages.map((m) => m.settled)).toEqual([["ack"], ["ack"]]);
    expect(out.predictions).toHaveLength(2);
    expect(calls.predict).toBe(predictCalls);
  });

  it("holds a poison message while the dead-letter topic is gone, then dead-letters it with its reason", async () => {
    const { pipeline, circuits, up, out } = setUp();
    out.down.deadLetters = true;
    up.dead_letter_topic = false;
    const poison = inputMessage("p1", "not json");
    pipeline.push(poison);
    await vi.advanceTimersByTimeAsync(200);
    expect(circuits.isOpen("dead_letter_topic")).toBe(true);
    expect(poison.settled).toEqual([]);
    out.down.deadLetters = false;
    up.dead_letter_topic = true;
    await vi.advanceTimersByTimeAsync(300);
    expect(poison.settled).toEqual(["ack"]);
    expect(out.deadLetters[0]?.attributes["error.reason"]).toBe("invalid_json");
  });

  it("holds a batch whose feature table is missing (NOT_FOUND), instead of nacking it", async () => {
    let tableMissing = true;
    const table = featureSource();
    const { pipeline, circuits, up } = setUp({
      features: {
        lookup: async (ids) => {
          if (tableMissing) throw grpcError(status.NOT_FOUND, 'table "features" not found');
          return table.lookup(ids);
        },
      },
    });
    up.feature_store = false;
    const message = inputMessage("m0", event(0));
    pipeline.push(message);
    await vi.advanceTimersByTimeAsync(200);
    expect(circuits.isOpen("feature_store")).toBe(true);
    expect(message.settled).toEqual([]);
    tableMissing = false;
    up.feature_store = true;
    await vi.advanceTimersByTimeAsync(300);
    expect(message.settled).toEqual(["ack"]);
  });

  it("nacks a message whose work failed through more outages than MAX_OUTAGE_HOLDS although the probes answered", async () => {
    // The probe answers, the message's own batch keeps failing as if the model were down.
    const { pipeline, stats } = setUp({ predictorFails: () => true });
    const message = inputMessage("m0", event(0));
    pipeline.push(message);
    await vi.advanceTimersByTimeAsync(200 * (MAX_OUTAGE_HOLDS + 2));
    expect(message.settled).toEqual(["nack"]);
    expect(stats.snapshot().nackCauses).toEqual({ unavailable: 1 });
  });

  it("at drain nacks what it holds at once (a shutdown cannot wait for the dependency)", async () => {
    const { pipeline, up } = setUp({ predictorFails: () => true });
    up.model = false;
    const message = inputMessage("m0", event(0));
    pipeline.push(message);
    await vi.advanceTimersByTimeAsync(100);
    expect(message.settled).toEqual([]);
    pipeline.stopIntake();
    const drained = pipeline.drain(10_000);
    await vi.advanceTimersByTimeAsync(10);
    await expect(drained).resolves.toEqual({ nacked: 1 });
    expect(message.settled).toEqual(["nack"]);
  });
});
