/**
 * Feature lookup: one Bigtable multi-get per batch (through the worker's app profile),
 * and the merge of stored features with the event's inline ones.
 */
import type { Table } from "@google-cloud/bigtable";
import { FEATURE_TABLE, type InferenceEvent } from "../../contract";

/** Stored features of each entity found; entities without a row are absent. */
export type FeatureRows = Map<string, Record<string, number>>;

/** Where stored features come from (Bigtable in production; anything in tests). */
export interface FeatureSource {
  lookup(entityIds: readonly string[]): Promise<FeatureRows>;
}

type Cell = { value?: unknown };
type RowData = Record<string, Record<string, Cell[] | undefined> | undefined>;

/** Reads the newest cell of each column of the feature family, as numbers (UTF-8 decimal). */
export function decodeFeatureRow(
  data: RowData,
  family: string = FEATURE_TABLE.featureFamily,
): Record<string, number> {
  const features: Record<string, number> = {};
  for (const [column, cells] of Object.entries(data[family] ?? {})) {
    const raw = cells?.[0]?.value;
    const text = Buffer.isBuffer(raw) ? raw.toString("utf8") : raw;
    const value = typeof text === "string" && text.trim() !== "" ? Number(text) : Number.NaN;
    // A cell that is not a number cannot be fed to the model; leaving it out lets the
    // event still be scored with the rest (an empty row ends up as "no features").
    if (Number.isFinite(value)) features[column] = value;
  }
  return features;
}

export interface BigtableFeatureSourceOptions {
  /** Deadline of one multi-get, ms. */
  timeoutMs: number;
}

export class BigtableFeatureSource implements FeatureSource {
  constructor(
    private readonly table: Table,
    private readonly options: BigtableFeatureSourceOptions,
  ) {}

  async lookup(entityIds: readonly string[]): Promise<FeatureRows> {
    const rows: FeatureRows = new Map();
    if (entityIds.length === 0) return rows;
    const [found] = await this.table.getRows({
      keys: [...entityIds],
      decode: true,
      // Only the feature family, newest cell per column: less to read and to send.
      filter: [{ family: FEATURE_TABLE.featureFamily }, { column: { cellLimit: 1 } }],
      gaxOptions: { timeout: this.options.timeoutMs },
    });
    for (const row of found) {
      rows.set(row.id, decodeFeatureRow(row.data as RowData));
    }
    return rows;
  }
}

/** Stored features overlaid with the event's inline ones (inline wins). */
export function mergeFeatures(
  event: InferenceEvent,
  stored: Record<string, number> | undefined,
): Record<string, number> {
  return { ...stored, ...event.features };
}
