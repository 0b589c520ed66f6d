/**
 * Latency and fault settings of the stand-in, changeable while it runs
 * (chaos runs flip them mid-stream).
 */
import { status } from "@grpc/grpc-js";

export interface LatencySettings {
  /** Added to every call, ms. Default 0. */
  fixedMs: number;
  /** Added per instance in the request, ms (a bigger batch takes longer). Default 0. */
  perInstanceMs: number;
}

export interface FaultSettings {
  /** Share of calls answered with `errorCode` (0..1). Default 0. */
  errorRate: number;
  /** gRPC status of injected errors. Default UNAVAILABLE. */
  errorCode: status;
  /** Share of calls never answered: the client's deadline ends them (0..1). Default 0. */
  hangRate: number;
  /** Share of calls answered with one prediction too few (0..1). Default 0. */
  wrongCountRate: number;
  /**
   * An object instance carrying a feature of this name is answered, every time, with an error
   * of its own in place of its prediction (`{"error": {"message": ...}}`); its batch-mates are
   * answered as usual. "" (the default) turns it off.
   */
  badAnswerFeature: string;
}

export const DEFAULT_LATENCY: LatencySettings = { fixedMs: 0, perInstanceMs: 0 };
export const DEFAULT_FAULTS: FaultSettings = {
  errorRate: 0,
  errorCode: status.UNAVAILABLE,
  hangRate: 0,
  wrongCountRate: 0,
  badAnswerFeature: "",
};

function checkRate(key: string, value: number): void {
  if (!(value >= 0 && value <= 1))
    throw new RangeError(`faults.${key} must be between 0 and 1, got ${value}`);
}

function checkNonNegative(key: string, value: number): void {
  if (!(value >= 0 && Number.isFinite(value)))
    throw new RangeError(`latency.${key} must be a finite number >= 0, got ${value}`);
}

/** Merges a partial change into the current latency settings, rejecting nonsense with the key named. */
export function mergeLatency(current: LatencySettings, change: Partial<LatencySettings>): LatencySettings {
  const next = { ...current, ...change };
  checkNonNegative("fixedMs", next.fixedMs);
  checkNonNegative("perInstanceMs", next.perInstanceMs);
  return next;
}

/** Merges a partial change into the current fault settings, rejecting nonsense with the key named. */
export function mergeFaults(current: FaultSettings, change: Partial<FaultSettings>): FaultSettings {
  const next = { ...current, ...change };
  checkRate("errorRate", next.errorRate);
  checkRate("hangRate", next.hangRate);
  checkRate("wrongCountRate", next.wrongCountRate);
  if (!Object.values(status).includes(next.errorCode) || next.errorCode === status.OK) {
    throw new RangeError(`faults.errorCode must be a gRPC status code other than OK, got ${next.errorCode}`);
  }
  return next;
}

/** mulberry32: a small seeded generator, so a fault pattern can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
