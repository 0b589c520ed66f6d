import { describe, expect, it } from "vitest";
import { deadLetterReasons, formatSummary } from "../../../local/outcomes/format";
import type { PubSub } from "@google-cloud/pubsub";
import { OutcomeCollector } from "../../../local/outcomes/collector";
import type { InputOutcome, RunSummary } from "../../../local/outcomes/collector";
import { percentile } from "../../../local/outcomes/percentiles";

describe("percentile (nearest rank)", () => {
  it("picks the value at or above the rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });
});

describe("run summary", () => {
  const outcome = (predictions: number, reasons: string[]): InputOutcome => ({
    published: { id: "1", key: "k", kind: "valid", publishedAt: 0 },
    predictions,
    deadLetters: reasons.map((reason) => ({ reason, byPolicy: false, attributes: {} })),
  });

  it("counts each dead-lettered input once, by its first reason, and not predicted ones", () => {
    expect(
      deadLetterReasons([
        outcome(0, ["invalid_json"]),
        outcome(0, ["invalid_json", "invalid_json"]),
        outcome(0, ["max_delivery_attempts"]),
        outcome(1, ["model_rejected"]),
      ]),
    ).toEqual({ invalid_json: 2, max_delivery_attempts: 1 });
  });

  it("prints every figure, with the batch-size mean", () => {
    const summary: RunSummary = {
      published: 10,
      predicted: 8,
      deadLettered: 2,
      lost: 0,
      notProcessed: 0,
      duplicates: 1,
      throughput: 123.4,
      latencyMs: { p50: 10, p95: 20, p99: 30 },
      batchSizes: { "3": 2, "2": 1 },
    };
    const text = formatSummary(summary, { invalid_json: 2 }, "worker micro-batches");
    expect(text).toContain("dead-lettered  2 (invalid_json 2)");
    expect(text).toContain("lost           0");
    expect(text).toContain("throughput     123.4 msg/s");
    expect(text).toContain("p50 10 ms, p95 20 ms, p99 30 ms");
    expect(text).toContain("3×2, 2×1 (mean 2.7 over 3 batches, worker micro-batches)");
    expect(text).not.toContain("not processed");
  });

  it("after a stopped run, shows the inputs nobody waited for as not processed, apart from lost", () => {
    const summary: RunSummary = {
      published: 50000,
      predicted: 1800,
      deadLettered: 100,
      lost: 0,
      notProcessed: 48100,
      duplicates: 0,
      throughput: 900,
      latencyMs: { p50: 10, p95: 20, p99: 30 },
      batchSizes: {},
    };
    const text = formatSummary(summary, {}, "worker micro-batches");
    expect(text).toContain("lost           0");
    expect(text).toContain(
      "not processed  48100 (the run was stopped before they were; not counted as lost)",
    );
  });
});

describe("OutcomeCollector.summary after a stopped run", () => {
  // start() is never called: recordPublished and summary need no Pub/Sub client.
  const collector = new OutcomeCollector({} as PubSub, {
    predictionsSubscription: "p",
    deadLetterSubscription: "d",
  });
  for (let i = 0; i < 3; i++)
    collector.recordPublished({ id: `m${i}`, key: `k${i}`, kind: "valid", publishedAt: i });

  it("counts inputs still outstanding as lost when the run was not stopped", () => {
    expect(collector.summary({})).toMatchObject({ published: 3, lost: 3, notProcessed: 0 });
  });

  it("counts them as not processed, and none as lost, when the run was stopped", () => {
    expect(collector.summary({}, { stopped: true })).toMatchObject({
      published: 3,
      lost: 0,
      notProcessed: 3,
    });
  });
});
