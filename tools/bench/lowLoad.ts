/**
 * End-to-end latency at low load (about 20 msg/s, far below what one worker drains):
 * here a batch rarely fills, so latency is set by `maxBatchDelayMs`, not by queueing.
 */
import { join } from "node:path";
import type { EmulatorHosts } from "../../local";
import { percentile, provisionLocalPlatform, REPO_ROOT, runLoad } from "../../local";
import type { LocalConnectivity, LocalPredictProtocol } from "../../local";
import type { LocalWorkerSettings } from "../../local";
import { round } from "./figures";
import { GOALS } from "./report";

/** Start-up period left out of the latency percentiles, ms. */
export const WARMUP_MS = 3_000;

export interface LowLoadResult {
  rate: number;
  messages: number;
  p50Ms: number;
  p99Ms: number;
  /** p99 minus the model's own per-call latency: what the pipeline adds. */
  addedP99Ms: number;
  /**
   * The worker's own part (input publish time -> prediction handed to Pub/Sub, its
   * `timing.endToEndMs`); the rest of `p99Ms` is Pub/Sub delivery both ways.
   */
  workerP50Ms: number;
  workerP99Ms: number;
  /** Messages published in the first `warmupMs` are left out of the percentiles above... */
  warmupMs: number;
  /** ...and this is the p99 with them. */
  p99IncludingWarmupMs: number;
  /** The goal: added p99 <= 100 ms, with the 1 s `maxBatchDelayMs` cap still configured. */
  goalMs: number;
  lost: number;
}

export async function measureLowLoad(
  hosts: EmulatorHosts,
  options: {
    name: string;
    rate: number;
    messages: number;
    modelLatencyMs: number;
    settings: LocalWorkerSettings;
    maxBatchDelayMs: number;
    workerEntry?: string;
    connectivity?: LocalConnectivity;
    predictProtocol?: LocalPredictProtocol;
  },
): Promise<LowLoadResult> {
  const platform = await provisionLocalPlatform(hosts, {
    prefix: `bench-${options.name}`,
    bigtableInstance: `bench-${options.name}`,
    model: { latency: { fixedMs: options.modelLatencyMs } },
    logDir: join(REPO_ROOT, "bench-results", "logs"),
    workerEntry: options.workerEntry,
    connectivity: options.connectivity,
    predictProtocol: options.predictProtocol,
  });
  try {
    const worker = platform.startWorker(options.settings);
    await worker.ready();
    const result = await runLoad(platform, {
      messages: options.messages,
      rate: options.rate,
      poisonShare: 0,
      runId: options.name,
      timeoutMs: (options.messages / options.rate) * 1000 + 30_000,
    });
    // The first batch pays for connecting to Bigtable and the model: reported apart, not in p50/p99.
    const outcomes = result.collector.outcomes();
    const firstPublish = Math.min(...outcomes.map((outcome) => outcome.published.publishedAt));
    const steady = outcomes.filter((outcome) => outcome.published.publishedAt - firstPublish >= WARMUP_MS);
    const sorted = (values: Array<number | undefined>) =>
      values.filter((ms): ms is number => ms !== undefined).sort((a, b) => a - b);
    const latencies = sorted(steady.map((outcome) => outcome.latencyMs));
    const workerLatencies = sorted(steady.map((outcome) => outcome.workerEndToEndMs));
    const allLatencies = sorted(outcomes.map((outcome) => outcome.latencyMs));
    const lost = result.collector.counts().outstanding;
    await result.collector.close();
    await worker.stop();
    const p99 = percentile(latencies, 99);
    return {
      rate: options.rate,
      messages: options.messages,
      p50Ms: round(percentile(latencies, 50), 1),
      p99Ms: round(p99, 1),
      addedP99Ms: round(p99 - options.modelLatencyMs, 1),
      workerP50Ms: round(percentile(workerLatencies, 50), 1),
      workerP99Ms: round(percentile(workerLatencies, 99), 1),
      warmupMs: WARMUP_MS,
      p99IncludingWarmupMs: round(percentile(allLatencies, 99), 1),
      goalMs: GOALS.addedP99Ms,
      lost,
    };
  } finally {
    await platform.stop();
  }
}
