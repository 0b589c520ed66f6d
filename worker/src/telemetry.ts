/**
 * What the pipeline reports as it works. Implemented by the in-process stats (for
 * `stats()`, the local runner and benchmarks) and by the OpenTelemetry metrics.
 */
import type { Outcome } from "../../contract";

export interface Telemetry {
  /** A micro-batch of `size` events was handed to the model stage. */
  batch(size: number): void;
  /** One predict call finished (`code` is the gRPC status name, `OK` on success). */
  predictCall(latencyMs: number, code: string): void;
  /** One Bigtable multi-get finished. */
  featureLookup(latencyMs: number): void;
  /** An input message reached its final outcome. */
  outcome(outcome: Outcome, reason: string): void;
  /** A prediction was published, `latencyMs` after its input was published. */
  endToEnd(latencyMs: number): void;
  /** A dependency's circuit stayed open `seconds` more (`circuits.ts`). */
  dependencyOutage?(dependency: string, seconds: number): void;
}

/** Reports to each of `sinks`. */
export function fanOut(...sinks: Telemetry[]): Telemetry {
  return {
    batch: (size) => sinks.forEach((s) => s.batch(size)),
    predictCall: (ms, code) => sinks.forEach((s) => s.predictCall(ms, code)),
    featureLookup: (ms) => sinks.forEach((s) => s.featureLookup(ms)),
    outcome: (outcome, reason) => sinks.forEach((s) => s.outcome(outcome, reason)),
    endToEnd: (ms) => sinks.forEach((s) => s.endToEnd(ms)),
    dependencyOutage: (dependency, seconds) =>
      sinks.forEach((s) => s.dependencyOutage?.(dependency, seconds)),
  };
}
