/** Turning measurements into what people read: the sweep table, the chart, the goal checks. */
import type { LineChart } from "./svgChart";

export interface SweepCell {
  maxBatchSize: number;
  maxInFlight: number;
  /** Steady-state messages/s. */
  throughput: number;
  /** maxInFlight x maxBatchSize / latency. */
  bound: number;
}

/** Throughput by batch size (rows) and in-flight (columns), as a Markdown table. */
export function sweepTable(
  cells: readonly SweepCell[],
  batchSizes: readonly number[],
  inFlight: readonly number[],
): string {
  const lookup = (b: number, f: number) => cells.find((c) => c.maxBatchSize === b && c.maxInFlight === f);
  const header = `| batch size \\ in flight | ${inFlight.map((f) => String(f)).join(" | ")} |`;
  const rule = `| --- | ${inFlight.map(() => "---").join(" | ")} |`;
  const rows = batchSizes.map((b) => {
    const values = inFlight.map((f) => {
      const cell = lookup(b, f);
      if (cell === undefined) return "-";
      const share = Math.round((cell.throughput / cell.bound) * 100);
      return `${Math.round(cell.throughput)} (${share}% of ${Math.round(cell.bound)})`;
    });
    return `| ${b} | ${values.join(" | ")} |`;
  });
  return [header, rule, ...rows].join("\n");
}

/**
 * Where throughput stops growing: for each in-flight setting, the smallest batch size
 * after which a bigger batch adds less than `minGain` (10%).
 */
export function plateaus(
  cells: readonly SweepCell[],
  batchSizes: readonly number[],
  inFlight: readonly number[],
  minGain = 0.1,
): Record<number, number | null> {
  const result: Record<number, number | null> = {};
  for (const f of inFlight) {
    const row = batchSizes
      .map((b) => cells.find((c) => c.maxBatchSize === b && c.maxInFlight === f))
      .filter((c): c is SweepCell => c !== undefined);
    result[f] = null;
    for (let i = 0; i + 1 < row.length; i++) {
      if (row[i + 1]!.throughput < row[i]!.throughput * (1 + minGain)) {
        result[f] = row[i]!.maxBatchSize;
        break;
      }
    }
  }
  return result;
}

export function sweepChart(
  cells: readonly SweepCell[],
  batchSizes: readonly number[],
  inFlight: readonly number[],
  ceiling: number | undefined,
  modelLatencyMs: number,
): LineChart {
  return {
    title: `Worker throughput on the emulators (model latency ${modelLatencyMs} ms)`,
    xLabel: "max batch size",
    yLabel: "messages / s",
    categories: batchSizes,
    series: inFlight.map((f) => ({
      label: `${f} in flight`,
      values: batchSizes.map(
        (b) => cells.find((c) => c.maxBatchSize === b && c.maxInFlight === f)?.throughput ?? null,
      ),
    })),
    references:
      ceiling === undefined ? [] : [{ label: `null worker ${Math.round(ceiling)}/s`, value: ceiling }],
  };
}

export interface Goal {
  name: string;
  target: string;
  value: number;
  met: boolean;
}

/** The goals (figures, not pass/fail tests). */
export const GOALS = {
  batchedVsNaive: 45,
  efficiency: 0.9,
  addedP99Ms: 100,
  workConservingVsTimer: 1.0,
  peakRssMb: 256,
  workerCpuMsPerMessage: 0.2,
} as const;

export function goals(figures: {
  batchedVsNaive: number;
  efficiency: number;
  addedP99Ms: number;
  workConservingVsTimer: number;
  peakRssMb: number | undefined;
  workerCpuMsPerMessage: number | undefined;
}): Goal[] {
  const atLeast = (name: string, value: number | undefined, target: number): Goal => ({
    name,
    target: `>= ${target}`,
    value: value ?? Number.NaN,
    met: value !== undefined && value >= target,
  });
  const atMost = (name: string, value: number | undefined, target: number): Goal => ({
    name,
    target: `<= ${target}`,
    value: value ?? Number.NaN,
    met: value !== undefined && value <= target,
  });
  return [
    atLeast("ratios.batchedVsNaive", figures.batchedVsNaive, GOALS.batchedVsNaive),
    atLeast("ratios.efficiency", figures.efficiency, GOALS.efficiency),
    atMost("lowLoad.addedP99Ms", figures.addedP99Ms, GOALS.addedP99Ms),
    atLeast("ratios.workConservingVsTimer", figures.workConservingVsTimer, GOALS.workConservingVsTimer),
    atMost("backlog.peakRssMb", figures.peakRssMb, GOALS.peakRssMb),
    atMost("workerCpuMsPerMessage", figures.workerCpuMsPerMessage, GOALS.workerCpuMsPerMessage),
  ];
}
