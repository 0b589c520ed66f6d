/**
 * Would BigQuery take this prediction? The emulator's BigQuery subscriptions accept the
 * config and write nothing (observed on the emulator), so the local runner checks each published
 * prediction against the predictions table's schema (`PREDICTION_TABLE_SCHEMA`) the way
 * the AnalyticsSink's subscription writes it: `use_table_schema` with
 * `drop_unknown_fields` (fields the table lacks are dropped; a REQUIRED column that is
 * missing, or a value of the wrong type, fails the write and the message is retried, then
 * dead-lettered). Sources: https://cloud.google.com/pubsub/docs/bigquery (use table schema,
 * drop unknown fields), BigQuery JSON type https://cloud.google.com/bigquery/docs/json-data.
 */
import { PREDICTION_TABLE_SCHEMA } from "../../contract";

interface Column {
  name: string;
  type: string;
  mode: string;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function fits(type: string, value: unknown): boolean {
  switch (type) {
    case "STRING":
      return typeof value === "string";
    case "FLOAT64":
      return typeof value === "number" && Number.isFinite(value);
    case "TIMESTAMP":
      return typeof value === "string" && RFC3339.test(value) && !Number.isNaN(Date.parse(value));
    case "JSON":
      return true; // any JSON value, nested as it is in the message
    default:
      return false; // a column type this check does not know: say so rather than pass it
  }
}

/** Why BigQuery would refuse the row, one line per problem; empty if it fits. */
export function tableRowProblems(
  row: unknown,
  schema: readonly Column[] = PREDICTION_TABLE_SCHEMA,
): string[] {
  if (row === null || typeof row !== "object" || Array.isArray(row))
    return ["the message is not a JSON object"];
  const record = row as Record<string, unknown>;
  const problems: string[] = [];
  for (const column of schema) {
    const value = record[column.name];
    if (value === undefined || value === null) {
      if (column.mode === "REQUIRED") problems.push(`${column.name} is REQUIRED and missing`);
      continue;
    }
    if (!fits(column.type, value))
      problems.push(`${column.name} is ${JSON.stringify(value)}, not a ${column.type}`);
  }
  return problems;
}
