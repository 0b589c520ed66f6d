/**
 * The predictions table's schema changes only in ways BigQuery and the Google provider
 * apply in place, so an existing stack's table (with its data, under deletion protection)
 * is updated, never replaced: no column removed or retyped, REQUIRED may become NULLABLE,
 * new columns are NULLABLE. Rule from terraform-provider-google
 * `resourceBigQueryTableSchemaIsChangeable` / `bigQueryTableModeIsForceNew` (magic-modules,
 * resource_bigquery_table.go), and https://cloud.google.com/bigquery/docs/managing-table-schemas.
 */
import { describe, expect, it } from "vitest";
import { PREDICTION_TABLE_SCHEMA } from "../../contract";

/** The table as the first release created it (before issue 12). */
const FIRST_RELEASE = [
  { name: "messageId", type: "STRING", mode: "REQUIRED" },
  { name: "eventId", type: "STRING", mode: "REQUIRED" },
  { name: "entityId", type: "STRING", mode: "REQUIRED" },
  { name: "modelId", type: "STRING", mode: "REQUIRED" },
  { name: "score", type: "FLOAT64", mode: "REQUIRED" },
  { name: "eventPublishTime", type: "TIMESTAMP", mode: "REQUIRED" },
  { name: "predictTime", type: "TIMESTAMP", mode: "REQUIRED" },
  { name: "predictLatencyMs", type: "FLOAT64", mode: "NULLABLE" },
];

describe("the predictions table schema", () => {
  it("keeps every first-release column with its type, and only relaxes REQUIRED to NULLABLE", () => {
    const now = new Map<string, { type: string; mode: string }>(
      PREDICTION_TABLE_SCHEMA.map((c) => [c.name, c]),
    );
    for (const old of FIRST_RELEASE) {
      const current = now.get(old.name);
      expect(current, old.name).toBeDefined();
      expect(current!.type).toBe(old.type);
      expect([old.mode, ...(old.mode === "REQUIRED" ? ["NULLABLE"] : [])]).toContain(current!.mode);
    }
  });

  it("adds columns only as NULLABLE, after the first-release ones", () => {
    const added = PREDICTION_TABLE_SCHEMA.slice(FIRST_RELEASE.length);
    expect(PREDICTION_TABLE_SCHEMA.slice(0, FIRST_RELEASE.length).map((c) => c.name)).toEqual(
      FIRST_RELEASE.map((c) => c.name),
    );
    expect(added.map((c) => c.name)).toEqual(["prediction", "label", "degraded"]);
    for (const column of added) expect(column.mode).toBe("NULLABLE");
  });
});
