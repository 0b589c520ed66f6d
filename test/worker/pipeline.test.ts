import { tableRowProblems } from "../../local/outcomes/tableRow";
import { status } from "@grpc/grpc-js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ATTRIBUTES, DEFAULT_MODEL_IO, type JsonValue, type PredictionRecord } from "../../contract";
import { Pipeline, type InputMessage, type PipelineSettings } from "../../worker/src/pipeline";
import type { OutgoingMessage, OutputPublisher } from "../../worker/src/publisher";
import { StatsRecorder } from "../../worker/src/stats";
import { featureSource, grpcError, logger, noTelemetry, scriptedPredictor } from "./helpers";
import type { Predictor } from "../../worker/src/predictor";

type Settlement = "ack" | "nack";

/** An input message that records how it was settled. */
function inputMessage(id: string, body: unknown, attributes: Record<string, string> = {}) {
  const settled: Settlement[] = [];
  const message: InputMessage & { settled: Settlement[] } = {
    id,
    data: Buffer.from(typeof body === "string" ? body : JSON.stringify(body)),
    attributes,
    publishTime: new Date("2026-11-22T10:00:00.000Z"),
    settled,
    ackWithResponse: async () => {
      settled.push("ack");
      return "SUCCESS";
    },
    nack: () => void settled.push("nack"),
  };
  return message;
}

/** Records what is published; each publish resolves when the test releases it (or at once). */
function recordingPublisher(options: { hold?: boolean; fail?: boolean } = {}) {
  const predictions: OutgoingMessage[] = [];
  const deadLetters: OutgoingMessage[] = [];
  const releases: Array<() => void> = [];
  const publish = (into: OutgoingMessage[]) => (message: OutgoingMessage) => {
    into.push(message);
    if (options.fail) return Promise.reject(grpcError(status.UNAVAILABLE));
    if (!options.hold) return Promise.resolve(`out-${into.length}`);
    return new Promise<string>((resolve) => releases.push(() => resolve(`out-${into.length}`)));
  };
  const publisher: OutputPublisher & {
    predictions: OutgoingMessage[];
    deadLetters: OutgoingMessage[];
    releaseAll(): void;
  } = {
    predictions,
    deadLetters,
    publishPrediction: publish(predictions),
    publishDeadLetter: publish(deadLetters),
    close: async () => {},
    releaseAll: () => releases.splice(0).forEach((release) => release()),
  };
  return publisher;
}

const settings: PipelineSettings = {
  modelId: "m1",
  maxBatchSize: 4,
  maxBatchDelayMs: 20,
  maxInFlight: 2,
  maxRequestBytes: 1_000_000,
  maxRetries: 1,
  backoff: { initialDelayMs: 1, multiplier: 1, maxDelayMs: 1 },
};

function pipelineWith(over: {
  predictor?: Predictor;
  publisher?: OutputPublisher;
  settings?: Partial<PipelineSettings>;
}) {
  const stats = new StatsRecorder();
  const publisher = over.publisher ?? recordingPublisher();
  const pipeline = new Pipeline(
    { ...settings, ...over.settings },
    {
      features: featureSource(["nobody"]),
      predictor: over.predictor ?? scriptedPredictor({ bad: ["rejected-entity"] }),
      publisher,
      telemetry: stats,
      logger,
      now: () => Date.parse("2026-11-22T10:00:01.500Z"),
    },
  );
  return { pipeline, stats, publisher };
}

const event = (i: number, entityId = `u${i}`) => ({ eventId: `e${i}`, entityId, features: { x: 0.25 } });

describe("Pipeline", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("publishes one prediction per event with the input id and timings, then acks", async () => {
    const publisher = recordingPublisher();
    const { pipeline, stats } = pipelineWith({ publisher });
    const messages = [0, 1, 2, 3].map((i) => inputMessage(`m${i}`, event(i)));
    messages.forEach((m) => pipeline.push(m));
    await pipeline.drain(1_000);

    expect(messages.map((m) => m.settled)).toEqual([["ack"], ["ack"], ["ack"], ["ack"]]);
    const records = publisher.predictions.map((p) => JSON.parse(p.data.toString()) as PredictionRecord);
    expect(records.map((r) => r.messageId)).toEqual(["m0", "m1", "m2", "m3"]);
    expect(records[0]).toMatchObject({
      eventId: "e0",
      entityId: "u0",
      modelId: "m1",
      prediction: { score: 0.25 },
      score: 0.25,
      eventPublishTime: "2026-11-22T10:00:00.000Z",
      predictTime: "2026-11-22T10:00:01.500Z",
    });
    // Each record is a row the BigQuery subscription can write.
    for (const record of records) expect(tableRowProblems(record)).toEqual([]);
    expect(publisher.predictions[0]?.attributes).toMatchObject({
      [ATTRIBUTES.inputMessageId]: "m0",
      [ATTRIBUTES.entityId]: "u0",
      [ATTRIBUTES.modelId]: "m1",
      [ATTRIBUTES.eventPublishTime]: "2026-11-22T10:00:00.000Z",
      [ATTRIBUTES.endToEndMs]: "1500.0",
    });
    expect(stats.snapshot()).toMatchObject({ outcomes: { predicted: 4 }, batchSizes: { 4: 1 } });
  });

  it("dead-letters (output_too_large) a prediction Pub/Sub would refuse, and predicts its batch-mates", async () => {
    const publisher = recordingPublisher();
    const huge: Predictor = {
      predict: async (instances) =>
        instances.map((i): JsonValue =>
          (i as { entityId: string }).entityId === "u1"
            ? { score: 0.5, blob: "b".repeat(10_000_001) }
            : { score: 0.5 },
        ),
    };
    const { pipeline, stats } = pipelineWith({ publisher, predictor: huge });
    const messages = [0, 1, 2].map((i) => inputMessage(`m${i}`, event(i)));
    messages.forEach((m) => pipeline.push(m));
    await pipeline.drain(1_000);
    expect(messages.map((m) => m.settled)).toEqual([["ack"], ["ack"], ["ack"]]);
    expect(publisher.predictions).toHaveLength(2);
    expect(publisher.deadLetters).toHaveLength(1);
    expect(publisher.deadLetters[0]?.attributes).toMatchObject({
      [ATTRIBUTES.inputMessageId]: "m1",
      [ATTRIBUTES.errorReason]: "output_too_large",
      [ATTRIBUTES.errorMessage]: expect.stringContaining("Pub/Sub would refuse the prediction message"),
    });
    expect(stats.snapshot()).toMatchObject({ outcomes: { predicted: 2, dead_lettered: 1 } });
  });

  it("flags a prediction made without the stored row when the model says flag: field, attribute, outcome reason", async () => {
    const publisher = recordingPublisher();
    const telemetry: Array<[string, string]> = [];
    const pipeline = new Pipeline(
      { ...settings, modelIo: { ...DEFAULT_MODEL_IO, missingFeatures: "flag" } },
      {
        features: featureSource(["nobody"]),
        predictor: scriptedPredictor(),
        publisher,
        telemetry: { ...noTelemetry, outcome: (outcome, reason) => void telemetry.push([outcome, reason]) },
        logger,
      },
    );
    const message = inputMessage("m0", event(0, "nobody"));
    pipeline.push(message);
    await pipeline.drain(1_000);
    expect(message.settled).toEqual(["ack"]);
    const record = JSON.parse(publisher.predictions[0]!.data.toString()) as PredictionRecord;
    expect(record.degraded).toBe("missing_stored_row");
    expect(tableRowProblems(record)).toEqual([]);
    expect(publisher.predictions[0]?.attributes[ATTRIBUTES.degraded]).toBe("missing_stored_row");
    expect(telemetry).toEqual([["predicted", "missing_stored_row"]]);
  });

  it("acks an input only after its prediction is published", async () => {
    const publisher = recordingPublisher({ hold: true });
    const { pipeline } = pipelineWith({ publisher });
    const message = inputMessage("m0", event(0));
    pipeline.push(message);
    await vi.advanceTimersByTimeAsync(settings.maxBatchDelayMs + 5);
    expect(publisher.predictions).toHaveLength(1);
    expect(message.settled).toEqual([]);
    publisher.releaseAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(message.settled).toEqual(["ack"]);
  });

  it("dead-letters poison messages with the reason, the original data and attributes, then acks them", async () => {
    const publisher = recordingPublisher();
    const { pipeline, stats } = pipelineWith({ publisher });
    const badJson = inputMessage("m-json", "{not json", { source: "web" });
    const noFeatures = inputMessage("m-nofeat", { eventId: "e", entityId: "nobody" });
    const rejected = inputMessage("m-rej", event(9, "rejected-entity"));
    const good = inputMessage("m-good", event(1));
    [badJson, noFeatures, rejected, good].forEach((m) => pipeline.push(m));
    await pipeline.drain(1_000);

    expect([badJson, noFeatures, rejected, good].map((m) => m.settled)).toEqual([
      ["ack"],
      ["ack"],
      ["ack"],
      ["ack"],
    ]);
    const byInput = new Map(publisher.deadLetters.map((d) => [d.attributes[ATTRIBUTES.inputMessageId], d]));
    expect(byInput.get("m-json")?.data.toString()).toBe("{not json");
    expect(byInput.get("m-json")?.attributes).toMatchObject({
      source: "web",
      [ATTRIBUTES.errorReason]: "invalid_json",
      [ATTRIBUTES.errorMessage]: expect.stringContaining("not valid JSON"),
    });
    expect(byInput.get("m-nofeat")?.attributes[ATTRIBUTES.errorReason]).toBe("no_features");
    expect(byInput.get("m-rej")?.attributes).toMatchObject({
      [ATTRIBUTES.errorReason]: "model_rejected",
      [ATTRIBUTES.entityId]: "rejected-entity",
    });
    expect(publisher.predictions.map((p) => p.attributes[ATTRIBUTES.inputMessageId])).toEqual(["m-good"]);
    expect(stats.snapshot().deadLetterReasons).toEqual({
      invalid_json: 1,
      no_features: 1,
      model_rejected: 1,
    });
  });

  it("nacks (never acks) when predictions keep failing, so the subscription's retry and DLQ policies apply", async () => {
    const predictor = scriptedPredictor({
      failures: Array.from({ length: 10 }, () => grpcError(status.UNAVAILABLE)),
    });
    const { pipeline, stats, publisher } = pipelineWith({ predictor });
    const messages = [0, 1].map((i) => inputMessage(`m${i}`, event(i)));
    messages.forEach((m) => pipeline.push(m));
    const drained = pipeline.drain(1_000);
    await vi.advanceTimersByTimeAsync(50); // the backoff sleeps
    await drained;
    expect(messages.map((m) => m.settled)).toEqual([["nack"], ["nack"]]);
    expect((publisher as ReturnType<typeof recordingPublisher>).predictions).toHaveLength(0);
    expect(stats.snapshot().nackCauses).toEqual({ unavailable: 2 });
  });

  it("nacks when publishing the output fails", async () => {
    const { pipeline } = pipelineWith({ publisher: recordingPublisher({ fail: true }) });
    const good = inputMessage("m0", event(0));
    const poison = inputMessage("m1", "nope");
    [good, poison].forEach((m) => pipeline.push(m));
    await pipeline.drain(1_000);
    expect([good.settled, poison.settled]).toEqual([["nack"], ["nack"]]);
  });

  it("on drain timeout nacks what could not finish, and never acks it afterwards", async () => {
    const publisher = recordingPublisher({ hold: true });
    const { pipeline } = pipelineWith({ publisher });
    const messages = [0, 1, 2].map((i) => inputMessage(`m${i}`, event(i)));
    messages.forEach((m) => pipeline.push(m));
    const drained = pipeline.drain(100);
    await vi.advanceTimersByTimeAsync(100);
    await expect(drained).resolves.toEqual({ nacked: 3 });
    publisher.releaseAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(messages.map((m) => m.settled)).toEqual([["nack"], ["nack"], ["nack"]]);
    expect(pipeline.outstanding).toBe(0);
  });

  it("after stopIntake holds new messages untouched, finishes the taken ones, and nacks the held on request", async () => {
    const { pipeline, stats } = pipelineWith({});
    const taken = inputMessage("m0", event(0));
    pipeline.push(taken);
    pipeline.stopIntake();
    const late = inputMessage("m1", event(1));
    pipeline.push(late);
    await pipeline.drain(1_000);
    expect(taken.settled).toEqual(["ack"]);
    expect(late.settled).toEqual([]);
    expect(pipeline.nackHeld()).toBe(1);
    expect(late.settled).toEqual(["nack"]);
    expect(stats.snapshot().nackCauses).toEqual({ shutdown: 1 });
  });
});
