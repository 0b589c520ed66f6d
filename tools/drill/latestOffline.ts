/**
 * The de-duplicating views' rule (components/analytics/latestViews.ts) evaluated in TypeScript over
 * prediction rows, as BigQuery would evaluate the view's `ROW_NUMBER() ... = 1`, for the drill and
 * the tests. Checked offline: the order of the rule (TIMESTAMP columns compared as instants at the
 * record's millisecond precision; STRING columns by code unit, which equals BigQuery's byte order
 * for the ASCII ids used here). Not checked offline: that BigQuery accepts the SQL text (no
 * BigQuery here; the SQL's structure is tested against the rule instead).
 */
import type { PredictionRecord } from "../../contract";
import type { LatestRowRule, PredictionColumn } from "../../components/analytics/latestViews";

const TIMESTAMP_COLUMNS: ReadonlySet<PredictionColumn> = new Set(["eventPublishTime", "predictTime"]);

function valueOf(row: PredictionRecord, column: PredictionColumn): number | string {
  const value = (row as unknown as Record<string, unknown>)[column];
  if (TIMESTAMP_COLUMNS.has(column)) {
    const time = Date.parse(String(value));
    if (Number.isNaN(time))
      throw new Error(`row ${row.messageId}: ${column} "${String(value)}" is not a timestamp`);
    return time;
  }
  if (typeof value === "number" || typeof value === "string") return value;
  throw new Error(`row ${row.messageId}: ${column} is ${value === undefined ? "missing" : typeof value}`);
}

/** Negative when `a` comes first under the rule's ORDER BY; 0 when tied on every column. */
export function compareByRule(rule: LatestRowRule, a: PredictionRecord, b: PredictionRecord): number {
  for (const { column, direction } of rule.orderBy) {
    const x = valueOf(a, column);
    const y = valueOf(b, column);
    if (x === y) continue;
    const ascending = x < y ? -1 : 1;
    return direction === "ASC" ? ascending : -ascending;
  }
  return 0;
}

/** The rows the view returns: per partition value, the first row in the rule's order. */
export function latestRows(
  rule: LatestRowRule,
  rows: readonly PredictionRecord[],
): Map<string, PredictionRecord> {
  const kept = new Map<string, PredictionRecord>();
  for (const row of rows) {
    for (const { column } of rule.orderBy) valueOf(row, column); // a row BigQuery could not order is refused
    const key = String(valueOf(row, rule.partitionBy));
    const current = kept.get(key);
    if (current === undefined || compareByRule(rule, row, current) < 0) kept.set(key, row);
  }
  return kept;
}
