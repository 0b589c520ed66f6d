/**
 * The arithmetic of the benchmark, kept pure so it can be tested: steady-state rates
 * from progress samples, the throughput bound, the ratios the README quotes, and the
 * spread of repeated runs.
 */

/** How many inputs were accounted for (predicted or dead-lettered) at a moment. */
export interface ProgressSample {
  /** ms, any monotonic origin. */
  atMs: number;
  done: number;
}

/**
 * Rate (per second) between the moments `fromShare` and `toShare` of `total` were done,
 * each moment interpolated linearly between samples. Leaving out the first and last
 * part removes the worker's start (connections, JIT) and the tail (last partial batches)
 * from a steady-state figure. Returns undefined when the samples never reach `toShare`.
 */
export function steadyRate(
  samples: readonly ProgressSample[],
  total: number,
  fromShare = 0.1,
  toShare = 0.9,
): number | undefined {
  const from = crossing(samples, total * fromShare);
  const to = crossing(samples, total * toShare);
  if (from === undefined || to === undefined || to <= from) return undefined;
  return ((toShare - fromShare) * total * 1000) / (to - from);
}

/** A progress sample with the worker's CPU time (ms) read at the same moment. */
export interface CpuSample extends ProgressSample {
  cpuMs: number;
}

/**
 * Worker CPU ms per message between the first samples at or past `fromShare` and `toShare` of
 * `total` done: the steady state, as `steadyRate` measures throughput. Over the whole drain a
 * short run also counts the fresh process's start (module loading, JIT, connections): that
 * doubled the figure of the quick bench's 8k-message runs (0.62 against 0.34 ms at 15k).
 */
export function steadyCpuPerMessage(
  samples: readonly CpuSample[],
  total: number,
  fromShare = 0.1,
  toShare = 0.9,
): number | undefined {
  const from = samples.find((s) => s.done >= total * fromShare);
  const to = samples.find((s) => s.done >= total * toShare);
  if (from === undefined || to === undefined || to.done <= from.done) return undefined;
  return (to.cpuMs - from.cpuMs) / (to.done - from.done);
}

/** The moment `done` first reached `target`, interpolated between the two samples around it. */
export function crossing(samples: readonly ProgressSample[], target: number): number | undefined {
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i]!;
    if (sample.done < target) continue;
    const before = samples[i - 1];
    if (before === undefined || sample.done === before.done) return sample.atMs;
    const share = (target - before.done) / (sample.done - before.done);
    return before.atMs + share * (sample.atMs - before.atMs);
  }
  return undefined;
}

/** The most a worker can do if the model is the only cost: slots x batch size / latency, per second. */
export function throughputBound(maxInFlight: number, maxBatchSize: number, modelLatencyMs: number): number {
  if (!(modelLatencyMs > 0)) throw new RangeError(`model latency must be > 0 ms, got ${modelLatencyMs}`);
  return (maxInFlight * maxBatchSize * 1000) / modelLatencyMs;
}

export interface Ratios {
  /** Batched throughput / naive (batch size 1) throughput. */
  batchedVsNaive: number;
  /**
   * Batched throughput / the null worker's (same clients, flow control and streams; publish +
   * ack per event, no model, no Bigtable): the share of the ceiling the worker could reach.
   */
  efficiency: number;
  /** Batched throughput / the model-only bound (in flight x batch / latency). Information. */
  ofBound: number;
  /** Batched throughput / an ack-only subscriber's (library default streams). Information. */
  ofAckOnly: number;
  /** Work-conserving / timer batching policy, backlog throughput, same run. */
  workConservingVsTimer: number;
}

export interface RatioInputs {
  batched: number;
  naive: number;
  nullWorker: number;
  bound: number;
  ackOnly: number;
  timer: number;
}

export function ratios(t: RatioInputs): Ratios {
  for (const [name, value] of Object.entries(t)) {
    if (!(value > 0)) throw new RangeError(`${name} throughput must be > 0, got ${value}`);
  }
  return {
    batchedVsNaive: round(t.batched / t.naive, 2),
    efficiency: round(t.batched / t.nullWorker, 3),
    ofBound: round(t.batched / t.bound, 3),
    ofAckOnly: round(t.batched / t.ackOnly, 3),
    workConservingVsTimer: round(t.batched / t.timer, 3),
  };
}

/** Median, min and max of repeated measurements (the machine is shared: report the spread). */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError("spread of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return {
    median: round(median, 1),
    min: round(sorted[0]!, 1),
    max: round(sorted.at(-1)!, 1),
    runs: [...values],
  };
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
