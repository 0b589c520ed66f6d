/** The drill's books across both regions' subscriptions. */
import { describe, expect, it } from "vitest";
import { drillBooks } from "../../../tools/drill/accounting";
import type { DrillPrediction } from "../../../tools/drill/accounting";

const regions = { failed: "a", standby: "b" };
const times = { killAt: 10_000, failoverDoneAt: 11_000, standbyReadyAt: 13_000 };

function prediction(
  inputId: string,
  region: string,
  receivedAt: number,
  outputId = `${inputId}-${region}-${receivedAt}`,
): DrillPrediction {
  return {
    inputId,
    outputId,
    region,
    receivedAt,
    record: {
      messageId: inputId,
      eventId: `e${inputId}`,
      entityId: `u${Number(inputId) % 2}`,
      modelId: `m@${region}`,
      prediction: { score: 0.5 },
      eventPublishTime: new Date(Number(inputId) * 1000).toISOString(),
      predictTime: new Date(receivedAt).toISOString(),
      predictLatencyMs: 1,
    },
  };
}

describe("drillBooks", () => {
  const inputs = [1, 2, 3, 4, 5].map((n) => ({ id: String(n), publishedAt: n * 1000 + (n >= 4 ? 8000 : 0) }));
  // 1, 2 predicted by A before the kill; 2, 3 replayed by B; 4, 5 published after the kill, by B only.

  it("counts an event done when either region predicted it, and duplicates across and within regions", () => {
    const books = drillBooks(
      inputs,
      [
        prediction("1", "a", 1500),
        prediction("2", "a", 2500),
        prediction("2", "b", 14_000),
        prediction("3", "b", 14_100),
        prediction("4", "b", 14_200),
        prediction("5", "b", 14_300),
        prediction("5", "b", 14_400),
      ],
      times,
      regions,
    );
    expect(books).toMatchObject({ published: 5, predicted: 5, lost: 0, predictedBy: { a: 2, b: 4 } });
    expect(books.duplicates).toEqual({ acrossRegions: 1, withinRegion: 1, wrongMessageId: 0 });
    expect(books.recovery).toEqual({
      toFailoverDoneMs: 1000,
      toStandbyReadyMs: 3000,
      toFirstPredictionMs: 4000,
      toBacklogDrainedMs: 4200,
      backlogAtKill: 1,
    });
    expect(books.dedup).toMatchObject({ rows: 7, latestPerEvent: 5, latestPerEntity: 2, ok: true });
  });

  it("an event no region predicted is lost, whatever region A's abandoned subscription still holds", () => {
    const books = drillBooks(
      inputs,
      [
        prediction("1", "a", 1500),
        prediction("2", "a", 2500),
        prediction("4", "b", 14_200),
        prediction("5", "b", 14_300),
      ],
      times,
      regions,
    );
    expect(books.lost).toBe(1);
    expect(books.lostIds).toEqual(["3"]);
    expect(books.recovery.toBacklogDrainedMs).toBeNull();
  });

  it("flags a prediction whose record names another input", () => {
    const wrong = prediction("1", "a", 1500);
    wrong.record!.messageId = "9";
    const books = drillBooks(inputs.slice(0, 1), [wrong], times, regions);
    expect(books.duplicates.wrongMessageId).toBe(1);
    expect(books.dedup.ok).toBe(false);
  });
});
