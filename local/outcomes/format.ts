import type { InputOutcome, RunSummary } from "./collector";

/** Dead-lettered inputs by reason (the first dead letter of each input). */
export function deadLetterReasons(outcomes: readonly InputOutcome[]): Record<string, number> {
  const reasons: Record<string, number> = {};
  for (const outcome of outcomes) {
    const first = outcome.predictions === 0 ? outcome.deadLetters[0] : undefined;
    if (first !== undefined) reasons[first.reason] = (reasons[first.reason] ?? 0) + 1;
  }
  return reasons;
}

function list(counts: Record<string, number>, separator: string): string {
  const entries = Object.entries(counts).sort(([, a], [, b]) => b - a);
  return entries.length === 0 ? "-" : entries.map(([key, count]) => `${key}${separator}${count}`).join(", ");
}

/** Shown only after a stopped run: inputs nobody waited for are not "lost". */
function notProcessedRow(summary: RunSummary): [string, string][] {
  if (summary.notProcessed === 0) return [];
  return [
    ["not processed", `${summary.notProcessed} (the run was stopped before they were; not counted as lost)`],
  ];
}

/** The summary as a small aligned table for the terminal. */
export function formatSummary(
  summary: RunSummary,
  reasons: Record<string, number>,
  batchSource: string,
): string {
  const calls = Object.values(summary.batchSizes).reduce((sum, n) => sum + n, 0);
  const instances = Object.entries(summary.batchSizes).reduce((sum, [size, n]) => sum + Number(size) * n, 0);
  const sizes = Object.fromEntries(
    Object.entries(summary.batchSizes)
      .sort(([, a], [, b]) => b - a)
      .slice(0, 8),
  );
  const rows: [string, string][] = [
    ["published", String(summary.published)],
    ["predicted", String(summary.predicted)],
    ["dead-lettered", `${summary.deadLettered}${summary.deadLettered > 0 ? ` (${list(reasons, " ")})` : ""}`],
    ["lost", String(summary.lost)],
    ...notProcessedRow(summary),
    ["duplicates", String(summary.duplicates)],
    ["throughput", `${summary.throughput} msg/s`],
    [
      "latency",
      `p50 ${summary.latencyMs.p50} ms, p95 ${summary.latencyMs.p95} ms, p99 ${summary.latencyMs.p99} ms (publish -> prediction received)`,
    ],
    [
      "batch sizes",
      calls === 0
        ? "-"
        : `${list(sizes, "×")}${Object.keys(summary.batchSizes).length > 8 ? ", ..." : ""} ` +
          `(mean ${(instances / calls).toFixed(1)} over ${calls} batches, ${batchSource})`,
    ],
  ];
  if ((summary.tableRejects?.count ?? 0) > 0) {
    rows.push([
      "BigQuery",
      `${summary.tableRejects?.count} predictions the predictions table would refuse; first: ${summary.tableRejects?.first}`,
    ]);
  }
  if ((summary.pubsubLimitRejects?.count ?? 0) > 0) {
    rows.push([
      "Pub/Sub",
      `${summary.pubsubLimitRejects?.count} outputs real Pub/Sub would refuse; first: ${summary.pubsubLimitRejects?.first}`,
    ]);
  }
  if (summary.samplePrediction !== undefined) {
    const json = JSON.stringify(summary.samplePrediction);
    rows.push(["sample", json.length > 160 ? `${json.slice(0, 157)}...` : json]);
  }
  return rows.map(([key, value]) => `${key.padEnd(14)} ${value}`).join("\n");
}
