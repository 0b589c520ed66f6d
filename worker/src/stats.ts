/**
 * In-process counters behind `RunningWorker.stats()`: outcomes, batch sizes, predict
 * calls. Cheap enough to keep on in production (a few map updates per batch).
 */
import { OUTCOMES, type Outcome } from "../../contract";
import type { Telemetry } from "./telemetry";

export interface WorkerStats {
  /** Input messages by final outcome. */
  outcomes: Record<Outcome, number>;
  /** Dead-lettered messages by `error.reason`. */
  deadLetterReasons: Record<string, number>;
  /** Nacked messages by cause. */
  nackCauses: Record<string, number>;
  /** Number of micro-batches handed to the model stage. */
  batches: number;
  /** Batch size -> number of batches of that size. */
  batchSizes: Record<number, number>;
  /** Predict calls by gRPC status name. */
  predictCalls: Record<string, number>;
  /** Mean predict-call latency, ms (0 before the first call). */
  meanPredictLatencyMs: number;
  /** Mean end-to-end latency of published predictions, ms (0 before the first). */
  meanEndToEndMs: number;
  /** Mean Bigtable multi-get latency, ms (0 before the first). */
  meanFeatureLookupMs: number;
}

function bump<K extends string | number>(counts: Record<K, number>, key: K, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

export class StatsRecorder implements Telemetry {
  private readonly outcomes: Record<Outcome, number> = {
    [OUTCOMES.predicted]: 0,
    [OUTCOMES.deadLettered]: 0,
    [OUTCOMES.nacked]: 0,
  };
  private readonly deadLetterReasons: Record<string, number> = {};
  private readonly nackCauses: Record<string, number> = {};
  private readonly batchSizes: Record<number, number> = {};
  private readonly predictCalls: Record<string, number> = {};
  private batches = 0;
  private predictLatencyTotal = 0;
  private predictLatencyCount = 0;
  private endToEndTotal = 0;
  private endToEndCount = 0;
  private lookupTotal = 0;
  private lookupCount = 0;

  batch(size: number): void {
    this.batches++;
    bump(this.batchSizes, size);
  }

  predictCall(latencyMs: number, code: string): void {
    bump(this.predictCalls, code);
    this.predictLatencyTotal += latencyMs;
    this.predictLatencyCount++;
  }

  featureLookup(latencyMs: number): void {
    this.lookupTotal += latencyMs;
    this.lookupCount++;
  }

  outcome(outcome: Outcome, reason: string): void {
    bump(this.outcomes, outcome);
    if (outcome === OUTCOMES.deadLettered) bump(this.deadLetterReasons, reason);
    if (outcome === OUTCOMES.nacked) bump(this.nackCauses, reason);
  }

  endToEnd(latencyMs: number): void {
    this.endToEndTotal += latencyMs;
    this.endToEndCount++;
  }

  snapshot(): WorkerStats {
    return {
      outcomes: { ...this.outcomes },
      deadLetterReasons: { ...this.deadLetterReasons },
      nackCauses: { ...this.nackCauses },
      batches: this.batches,
      batchSizes: { ...this.batchSizes },
      predictCalls: { ...this.predictCalls },
      meanPredictLatencyMs:
        this.predictLatencyCount === 0 ? 0 : this.predictLatencyTotal / this.predictLatencyCount,
      meanEndToEndMs: this.endToEndCount === 0 ? 0 : this.endToEndTotal / this.endToEndCount,
      meanFeatureLookupMs: this.lookupCount === 0 ? 0 : this.lookupTotal / this.lookupCount,
    };
  }
}
