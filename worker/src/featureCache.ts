/**
 * A small TTL cache in front of a FeatureSource, for hot entities (off by default:
 * features change, and a stale score is worse than a Bigtable read).
 */
import type { FeatureRows, FeatureSource, StoredRow } from "./enrich";

export interface FeatureCacheOptions {
  ttlMs: number;
  /** Entries kept at most; the oldest are dropped first. */
  maxEntries: number;
  now?: () => number;
}

export class CachedFeatureSource implements FeatureSource {
  private readonly entries = new Map<string, { features: StoredRow; expiresAt: number }>();
  private readonly now: () => number;
  hits = 0;
  misses = 0;

  constructor(
    private readonly inner: FeatureSource,
    private readonly options: FeatureCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async lookup(entityIds: readonly string[]): Promise<FeatureRows> {
    const now = this.now();
    const rows: FeatureRows = new Map();
    const missing: string[] = [];
    for (const id of entityIds) {
      const entry = this.entries.get(id);
      if (entry !== undefined && entry.expiresAt > now) {
        rows.set(id, entry.features);
      } else {
        if (entry !== undefined) this.entries.delete(id);
        missing.push(id);
      }
    }
    this.hits += entityIds.length - missing.length;
    this.misses += missing.length;
    if (missing.length === 0) return rows;
    const fetched = await this.inner.lookup(missing);
    const expiresAt = this.now() + this.options.ttlMs;
    for (const [id, features] of fetched) {
      rows.set(id, features);
      this.entries.set(id, { features, expiresAt });
    }
    // Map iteration order is insertion order: the first keys are the oldest.
    for (const id of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEntries) break;
      this.entries.delete(id);
    }
    return rows;
  }
}
