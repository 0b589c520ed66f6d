/**
 * The de-duplicating views: their SQL follows the rule, and the rule keeps the right row after a
 * failover replay (evaluated offline, as ./latestOffline.ts documents).
 */
import { describe, expect, it } from "vitest";
import {
  LATEST_PER_ENTITY,
  LATEST_PER_EVENT,
  LATEST_ROW_RULES,
  latestRowQuery,
  RANK_COLUMN,
} from "../../../components/analytics/latestViews";
import { PREDICTION_TABLE_SCHEMA } from "../../../contract";
import type { PredictionRecord } from "../../../contract";
import { latestRows } from "../../../tools/drill/latestOffline";

const row = (over: Partial<PredictionRecord>): PredictionRecord => ({
  messageId: "m1",
  eventId: "e1",
  entityId: "u1",
  modelId: "scorer",
  prediction: { score: 0.1 },
  eventPublishTime: "2026-12-04T10:00:00.000Z",
  predictTime: "2026-12-04T10:00:01.000Z",
  predictLatencyMs: 5,
  ...over,
});

describe("the views' SQL", () => {
  it.each(LATEST_ROW_RULES)("$viewId ranks by its rule and keeps rank 1 only", (rule) => {
    const sql = latestRowQuery(rule, "p.d.predictions");
    const order = rule.orderBy.map((o) => `\`${o.column}\` ${o.direction}`).join(", ");
    expect(sql).toContain(
      `ROW_NUMBER() OVER (PARTITION BY \`${rule.partitionBy}\` ORDER BY ${order}) AS ${RANK_COLUMN}`,
    );
    expect(sql).toContain("FROM `p.d.predictions`");
    expect(sql).toMatch(new RegExp(`WHERE ${RANK_COLUMN} = 1$`));
    expect(sql.startsWith(`SELECT * EXCEPT (${RANK_COLUMN})`)).toBe(true);
  });

  it("names only REQUIRED columns of the table, and a rank column the table does not have", () => {
    const required = new Set(PREDICTION_TABLE_SCHEMA.filter((f) => f.mode === "REQUIRED").map((f) => f.name));
    for (const rule of LATEST_ROW_RULES) {
      for (const column of [rule.partitionBy, ...rule.orderBy.map((o) => o.column)])
        expect(required).toContain(column);
    }
    expect(PREDICTION_TABLE_SCHEMA.map((f) => f.name)).not.toContain(RANK_COLUMN);
  });
});

describe("latest per event", () => {
  it("keeps one row per message id: the latest prediction, whichever region made it", () => {
    const first = row({ modelId: "scorer@a", predictTime: "2026-12-04T10:00:01.000Z" });
    const replayed = row({ modelId: "scorer@b", predictTime: "2026-12-04T10:05:00.000Z" });
    const other = row({ messageId: "m2", eventId: "e2" });
    const kept = latestRows(LATEST_PER_EVENT, [replayed, first, other]);
    expect([...kept.keys()].sort()).toEqual(["m1", "m2"]);
    expect(kept.get("m1")).toBe(replayed);
  });
});

describe("latest per entity", () => {
  it("a replayed older event, predicted later, does not replace a newer event's prediction", () => {
    const newer = row({
      messageId: "m2",
      eventPublishTime: "2026-12-04T10:01:00.000Z",
      predictTime: "2026-12-04T10:01:01.000Z",
    });
    const olderReplayed = row({
      messageId: "m1",
      eventPublishTime: "2026-12-04T10:00:00.000Z",
      predictTime: "2026-12-04T10:09:00.000Z",
    });
    expect(latestRows(LATEST_PER_ENTITY, [olderReplayed, newer]).get("u1")).toBe(newer);
    expect(latestRows(LATEST_PER_ENTITY, [newer, olderReplayed]).get("u1")).toBe(newer);
  });

  it("the same event predicted twice: the later prediction", () => {
    const early = row({ predictTime: "2026-12-04T10:00:01.000Z" });
    const late = row({ predictTime: "2026-12-04T10:00:02.000Z" });
    expect(latestRows(LATEST_PER_ENTITY, [late, early]).get("u1")).toBe(late);
  });

  it("refuses a row whose timestamp column is not a timestamp", () => {
    expect(() => latestRows(LATEST_PER_ENTITY, [row({ eventPublishTime: "soon" })])).toThrow(
      /not a timestamp/,
    );
  });
});
