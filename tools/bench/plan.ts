/**
 * What a benchmark run measures, and how much: the full run, and the `--quick` run for
 * CI (under 3 minutes) with smaller counts, fewer repeats and a smaller sweep. The JSON
 * result carries `reduced` so a quick figure is never mistaken for a full one.
 */
import { parseArgs } from "node:util";
import { joinNegativeValues } from "../../local/cli/negativeValues";
import { parseConnectivityOption, parsePredictProtocolOption } from "../../local/connectivityOption";
import type { LocalConnectivity, LocalPredictProtocol } from "../../local/platform";
import { BATCHING_DEFAULTS } from "../../contract";
import { throughputBound } from "./figures";

export interface BenchPlan {
  quick: boolean;
  /** Endpoint type the stand-in plays and the worker is configured for (`--connectivity`). */
  connectivity?: LocalConnectivity;
  /** How the worker calls it (`--protocol`): http (default) or grpc. */
  predictProtocol?: LocalPredictProtocol;
  json?: string;
  /** Fixed per-call latency of the local model, ms. */
  modelLatencyMs: number;
  batched: { maxBatchSize: number; maxBatchDelayMs: number; maxInFlight: number; messages: number };
  naive: { messages: number };
  /** The null worker (same clients and streams, publish + ack only) drains a backlog this large. */
  nullWorker: { messages: number };
  ceiling: { messages: number };
  /** Each throughput figure is taken this many times (interleaved) and the median reported. */
  repeats: number;
  lowLoad: { rate: number; messages: number };
  /**
   * The backlog is drained with node's default heap sizing (the goal), and in the full run
   * again with old space capped at `maxOldSpaceMb` (information).
   */
  backlog: { messages: number; maxOldSpaceMb: number; heapCapRun: boolean };
  /** Run the compiled worker (`npm run build -w worker` first), as the container does. */
  compiled: boolean;
  sweep: { batchSizes: number[]; inFlight: number[]; secondsPerCell: number; maxMessagesPerCell: number };
  /** What --quick reduced, against the full run (empty for a full run). */
  reduced: Record<string, { full: number | number[]; quick: number | number[] }>;
}

export const BENCH_USAGE = `usage: npm run bench -- [--quick] [--json <file>] [--latency-ms <n>]
  --quick        CI variant (< 3.5 min): smaller counts, two repeats, a 1 x 2 sweep, a 15k backlog
  --json <file>  write the result as JSON (the chart goes next to it, and to docs/ with --docs)
  --latency-ms   the local model's fixed per-call latency (default 30)
  --docs         also write docs/bench-sweep.svg (the chart the README shows)
  --compiled     build the worker and run worker/dist (as the container does) instead of the source under tsx
  --connectivity psc|peering   endpoint type the stand-in plays (default psc)
  --protocol http|grpc         how the worker calls it: JSON over HTTP (default) or gRPC with the endpoint-id header`;

function fullPlan(modelLatencyMs: number): Omit<BenchPlan, "quick" | "json" | "reduced" | "compiled"> {
  return {
    modelLatencyMs,
    batched: {
      maxBatchSize: BATCHING_DEFAULTS.maxBatchSize,
      maxBatchDelayMs: BATCHING_DEFAULTS.maxBatchDelayMs,
      maxInFlight: BATCHING_DEFAULTS.maxInFlight,
      messages: 30_000,
    },
    naive: { messages: 1_500 },
    nullWorker: { messages: 30_000 },
    ceiling: { messages: 30_000 },
    repeats: 3,
    lowLoad: { rate: 20, messages: 600 },
    backlog: { messages: 100_000, maxOldSpaceMb: 192, heapCapRun: true },
    sweep: {
      batchSizes: [1, 10, 25, 50, 100, 200],
      inFlight: [1, 2, 4, 8],
      secondsPerCell: 8,
      maxMessagesPerCell: 20_000,
    },
  };
}

export function benchPlan(options: {
  quick: boolean;
  json?: string;
  modelLatencyMs?: number;
  compiled?: boolean;
}): BenchPlan {
  const full = fullPlan(options.modelLatencyMs ?? 30);
  const compiled = options.compiled ?? false;
  if (!options.quick) return { ...full, quick: false, json: options.json, reduced: {}, compiled };
  const quick: Omit<BenchPlan, "quick" | "json" | "reduced" | "compiled"> = {
    ...full,
    batched: { ...full.batched, messages: 15_000 },
    naive: { messages: 500 },
    nullWorker: { messages: 15_000 },
    ceiling: { messages: 8_000 },
    // Two repeats: the policies swap order (scripts/bench.ts), so their ratio is a median of two each.
    repeats: 2,
    lowLoad: { rate: 20, messages: 240 },
    backlog: { ...full.backlog, messages: 15_000, heapCapRun: false },
    // One cell beside the default (measured above): CI keeps the sweep's code running, not its picture.
    sweep: { batchSizes: [50], inFlight: [1, 4], secondsPerCell: 4, maxMessagesPerCell: 6_000 },
  };
  const reduced: BenchPlan["reduced"] = {
    "batched.messages": { full: full.batched.messages, quick: quick.batched.messages },
    "naive.messages": { full: full.naive.messages, quick: quick.naive.messages },
    "nullWorker.messages": { full: full.nullWorker.messages, quick: quick.nullWorker.messages },
    "ceiling.messages": { full: full.ceiling.messages, quick: quick.ceiling.messages },
    repeats: { full: full.repeats, quick: quick.repeats },
    "lowLoad.messages": { full: full.lowLoad.messages, quick: quick.lowLoad.messages },
    "backlog.messages": { full: full.backlog.messages, quick: quick.backlog.messages },
    "backlog.heapCapRun": { full: 1, quick: 0 },
    "sweep.batchSizes": { full: full.sweep.batchSizes, quick: quick.sweep.batchSizes },
    "sweep.inFlight": { full: full.sweep.inFlight, quick: quick.sweep.inFlight },
  };
  return { ...quick, quick: true, json: options.json, reduced, compiled };
}

/** Messages for one sweep cell: enough for `secondsPerCell` at the cell's bound, within limits. */
export function sweepCellMessages(plan: BenchPlan, maxBatchSize: number, maxInFlight: number): number {
  const bound = throughputBound(maxInFlight, maxBatchSize, plan.modelLatencyMs);
  const wanted = Math.round(bound * plan.sweep.secondsPerCell);
  return Math.min(plan.sweep.maxMessagesPerCell, Math.max(200, wanted));
}

export function parseBenchArgs(argv: readonly string[]): (BenchPlan & { docs: boolean }) | "help" {
  const { values } = parseArgs({
    args: joinNegativeValues(argv), // so "--latency-ms -5" gets the range check, not "ambiguous"
    options: {
      quick: { type: "boolean", default: false },
      json: { type: "string" },
      "latency-ms": { type: "string" },
      docs: { type: "boolean", default: false },
      compiled: { type: "boolean", default: false },
      connectivity: { type: "string" },
      protocol: { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) return "help";
  let latency: number | undefined;
  if (values["latency-ms"] !== undefined) {
    latency = Number(values["latency-ms"]);
    if (!(Number.isFinite(latency) && latency > 0)) {
      throw new Error(`--latency-ms must be a number of ms > 0, got "${values["latency-ms"]}"`);
    }
  }
  return {
    ...benchPlan({ quick: values.quick, json: values.json, modelLatencyMs: latency }),
    connectivity: parseConnectivityOption(values.connectivity),
    predictProtocol: parsePredictProtocolOption(values.protocol),
    docs: values.docs,
  };
}
