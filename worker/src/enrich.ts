/**
 * Feature lookup: one Bigtable multi-get per batch (through the worker's app profile).
 * Cells come back as text; `features.ts` types them by the declared features.
 */
import type { Table } from "@google-cloud/bigtable";
import { FEATURE_TABLE } from "../../contract";

/** The newest cell of each column of an entity's feature family, as UTF-8 text. */
export type StoredRow = Record<string, string>;

/** Stored features of each entity found; entities without a row are absent. */
export type FeatureRows = Map<string, StoredRow>;

/** Where stored features come from (Bigtable in production; anything in tests). */
export interface FeatureSource {
  lookup(entityIds: readonly string[]): Promise<FeatureRows>;
}

type Cell = { value?: unknown };
type RowData = Record<string, Record<string, Cell[] | undefined> | undefined>;

/**
 * Reads the newest cell of each column of the feature family as UTF-8 text. Nothing is
 * dropped here: typing (and refusing) a cell is the declared features' business.
 */
export function decodeFeatureRow(data: RowData, family: string = FEATURE_TABLE.featureFamily): StoredRow {
  const cells: StoredRow = {};
  for (const [column, versions] of Object.entries(data[family] ?? {})) {
    const raw = versions?.[0]?.value;
    if (Buffer.isBuffer(raw)) cells[column] = raw.toString("utf8");
    else if (typeof raw === "string") cells[column] = raw;
    else if (typeof raw === "number") cells[column] = String(raw);
  }
  return cells;
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
