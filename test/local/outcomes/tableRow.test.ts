import { describe, expect, it } from "vitest";
import { tableRowProblems } from "../../../local/outcomes/tableRow";

const row = {
  messageId: "m1",
  eventId: "e1",
  entityId: "u1",
  modelId: "iris",
  prediction: { label: "setosa", probabilities: { setosa: 0.9 } },
  label: "setosa",
  eventPublishTime: "2026-12-02T08:00:00.000Z",
  predictTime: "2026-12-02T08:00:01.000Z",
  predictLatencyMs: 12.5,
};

describe("tableRowProblems (the predictions table as the BigQuery subscription writes it)", () => {
  it("takes a prediction without a score, any JSON as the prediction, and drops unknown fields", () => {
    expect(tableRowProblems(row)).toEqual([]);
    expect(tableRowProblems({ ...row, prediction: [0.1, 0.9], extra: { x: 1 } })).toEqual([]);
  });

  it.each([
    [{ ...row, messageId: undefined }, "messageId is REQUIRED and missing"],
    [{ ...row, score: "0.5" }, 'score is "0.5", not a FLOAT64'],
    [{ ...row, predictTime: "yesterday" }, 'predictTime is "yesterday", not a TIMESTAMP'],
    [{ ...row, label: 3 }, "label is 3, not a STRING"],
  ])("refuses %j", (bad, problem) => {
    expect(tableRowProblems(bad)).toEqual([problem]);
  });

  it("refuses a message that is not an object", () => {
    expect(tableRowProblems([1])).toEqual(["the message is not a JSON object"]);
  });
});
