/**
 * The feature table on the Bigtable emulator: created as the FeatureStore
 * component declares it (`FEATURE_TABLE`), and seeded with synthetic entities,
 * each cell encoded as its declared type says (`encodeCell`).
 */
import type { Bigtable, Table } from "@google-cloud/bigtable";
import { FEATURE_TABLE, encodeCell } from "../../contract";
import type { FeatureSpec, FeatureValue, PredictionInstance } from "../../contract";
import { seededRandom } from "../vertex/settings";

/** Feature columns of the synthetic entities (standardised values, roughly in [-3, 3]). */
export const SYNTHETIC_FEATURES = [
  "recency_days",
  "frequency_30d",
  "monetary_30d",
  "sessions_7d",
  "cart_adds_7d",
  "tenure_days",
  "support_tickets_90d",
  "discount_share",
] as const;

/** Row key of the i-th synthetic entity. */
export function entityId(index: number): string {
  return `entity-${String(index).padStart(6, "0")}`;
}

/** `count` entities with deterministic feature values (same seed, same values). */
export function syntheticEntities(count: number, seed = 42): PredictionInstance[] {
  const random = seededRandom(seed);
  const entities: PredictionInstance[] = [];
  for (let i = 0; i < count; i++) {
    const features: Record<string, number> = {};
    for (const name of SYNTHETIC_FEATURES) features[name] = Math.round((random() * 6 - 3) * 1000) / 1000;
    entities.push({ entityId: entityId(i), features });
  }
  return entities;
}

/** Creates the features table with its column family and GC rule (keep the newest cell). */
export async function createFeatureTable(bigtable: Bigtable, instanceId: string): Promise<Table> {
  const [table] = await bigtable.instance(instanceId).createTable(FEATURE_TABLE.tableId, {
    families: [{ name: FEATURE_TABLE.featureFamily, rule: { versions: FEATURE_TABLE.featureMaxVersions } }],
  });
  return table;
}

/** The cell text of a feature: by its declared type, or a number under today's contract. */
function cellOf(name: string, value: FeatureValue, declared: readonly FeatureSpec[] | undefined): string {
  const type = declared?.find((spec) => spec.name === name)?.type ?? "number";
  return encodeCell(type, value);
}

/**
 * Writes one row per entity: family `f`, one column per feature, the value encoded by
 * the declared feature's type (UTF-8 decimal for numbers, today's contract).
 */
export async function seedFeatures(
  table: Table,
  entities: readonly PredictionInstance[],
  declared?: readonly FeatureSpec[],
): Promise<void> {
  const chunk = 1000; // keeps each MutateRows request small
  for (let start = 0; start < entities.length; start += chunk) {
    await table.insert(
      entities.slice(start, start + chunk).map((entity) => ({
        key: entity.entityId,
        data: {
          [FEATURE_TABLE.featureFamily]: Object.fromEntries(
            Object.entries(entity.features).map(([name, value]) => [name, cellOf(name, value, declared)]),
          ),
        },
      })),
    );
  }
}
