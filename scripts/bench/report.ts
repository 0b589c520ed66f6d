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
      ceiling === undefined ? [] : [{ label: `emulator ceiling ${Math.round(ceiling)}/s`, value: ceiling }],
  };
}

export interface Goal {
  name: string;
  target: string;
  value: number;
  met: boolean;
}

export function goals(figures: {
  batchedVsNaive: number;
  efficiency: number;
  addedP99Ms: number;
  maxBatchDelayMs: number;
  peakRssMb: number | undefined;
}): Goal[] {
  return [
    {
      name: "batchedVsNaive",
      target: ">= 40",
      value: figures.batchedVsNaive,
      met: figures.batchedVsNaive >= 40,
    },
    { name: "efficiency", target: ">= 0.9", value: figures.efficiency, met: figures.efficiency >= 0.9 },
    {
      name: "lowLoad.addedP99Ms",
      target: `<= ${figures.maxBatchDelayMs + 50}`,
      value: figures.addedP99Ms,
      met: figures.addedP99Ms <= figures.maxBatchDelayMs + 50,
    },
    {
      name: "backlog.peakRssMb",
      target: "<= 300",
      value: figures.peakRssMb ?? Number.NaN,
      met: figures.peakRssMb !== undefined && figures.peakRssMb <= 300,
    },
  ];
}
