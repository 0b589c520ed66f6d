/**
 * What a consumer reads after a failover or an at-least-once redelivery: the predictions table
 * keeps every prediction (a replayed event is predicted again, by the other region or the same),
 * and two logical views keep one row each:
 *
 * - per event (`messageId`, the input's Pub/Sub message id every prediction carries): the latest
 *   prediction of that input;
 * - per entity (`entityId`, seeds/001 "upserts for a given user id/entity id"): the prediction of the
 *   entity's latest event - ordered by the event's publish time first, so a replayed old event
 *   predicted late never overrides a newer event's prediction.
 *
 * Each rule is data, rendered to GoogleSQL here and evaluated offline by the drill and the tests
 * (tools/drill/latestOffline.ts), so both read the same order. GoogleSQL semantics relied on:
 * `ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...)` numbers rows from 1 in that order, and rows
 * tied on every ORDER BY column are numbered in an unspecified order
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/numbering_functions#row_number);
 * `SELECT * EXCEPT` drops the rank column. Every ORDER BY column is REQUIRED in
 * PREDICTION_TABLE_SCHEMA, so NULL ordering never arises. A filter on `predictTime` applied to a
 * view does not pass through the window into the base table's partitions: the views scan the whole
 * table (bounded by `partitionExpirationDays`).
 */
import { PREDICTION_TABLE_SCHEMA } from "../../contract";

export type PredictionColumn = (typeof PREDICTION_TABLE_SCHEMA)[number]["name"];

export interface LatestRowRule {
  /** Table id of the view, in the analytics dataset. */
  viewId: string;
  description: string;
  /** One row is kept per value of this column. */
  partitionBy: PredictionColumn;
  /** The kept row is the first in this order. */
  orderBy: readonly { column: PredictionColumn; direction: "DESC" | "ASC" }[];
}

export const LATEST_PER_EVENT: LatestRowRule = {
  viewId: "predictions_latest_by_event",
  description:
    "One row per input event (messageId): its latest prediction. Predictions repeated by a failover " +
    "replay or a redelivery are dropped here.",
  partitionBy: "messageId",
  orderBy: [
    { column: "predictTime", direction: "DESC" },
    { column: "modelId", direction: "DESC" },
  ],
};

export const LATEST_PER_ENTITY: LatestRowRule = {
  viewId: "predictions_latest_by_entity",
  description:
    "One row per entity (entityId): the prediction of its most recently published event; a replayed " +
    "older event never replaces it.",
  partitionBy: "entityId",
  orderBy: [
    { column: "eventPublishTime", direction: "DESC" },
    { column: "predictTime", direction: "DESC" },
    { column: "messageId", direction: "DESC" },
    { column: "modelId", direction: "DESC" },
  ],
};

export const LATEST_ROW_RULES = [LATEST_PER_EVENT, LATEST_PER_ENTITY] as const;

/** Name of the rank column the view computes and drops; not a column of the table. */
export const RANK_COLUMN = "latestRank";

/** The view's GoogleSQL over `project.dataset.table`. */
export function latestRowQuery(rule: LatestRowRule, tableReference: string): string {
  const order = rule.orderBy.map((o) => `\`${o.column}\` ${o.direction}`).join(", ");
  return [
    `SELECT * EXCEPT (${RANK_COLUMN})`,
    "FROM (",
    `  SELECT *, ROW_NUMBER() OVER (PARTITION BY \`${rule.partitionBy}\` ORDER BY ${order}) AS ${RANK_COLUMN}`,
    `  FROM \`${tableReference}\``,
    ")",
    `WHERE ${RANK_COLUMN} = 1`,
  ].join("\n");
}
