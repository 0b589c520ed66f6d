/** Test doubles of the worker's own small interfaces (not of any Google service). */
import { status } from "@grpc/grpc-js";
import type { JsonValue, PredictionInstance } from "../../contract";
import type { FeatureRows, FeatureSource } from "../../worker/src/enrich";
import { silentLogger } from "../../worker/src/logger";
import type { Predictor } from "../../worker/src/predictor";
import type { Telemetry } from "../../worker/src/telemetry";

export const grpcError = (code: number, message = status[code] ?? "error") =>
  Object.assign(new Error(message), { code });

/** Every entity has one stored feature, except those listed as missing. */
export function featureSource(missing: readonly string[] = []): FeatureSource & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async lookup(ids) {
      calls.push([...ids]);
      const rows: FeatureRows = new Map();
      for (const id of ids) if (!missing.includes(id)) rows.set(id, { stored: "1" });
      return rows;
    },
  };
}

/**
 * Scores each instance with its `features.x` (or 0.5); rejects any request holding an
 * entity in `bad` as INVALID_ARGUMENT, like a model refusing an instance.
 */
export function scriptedPredictor(
  options: { bad?: readonly string[]; failures?: Error[] } = {},
): Predictor & { requests: string[][] } {
  const requests: string[][] = [];
  const failures = [...(options.failures ?? [])];
  return {
    requests,
    async predict(sent: readonly JsonValue[]): Promise<JsonValue[]> {
      // This double takes today's object instances.
      const instances = sent as unknown as readonly PredictionInstance[];
      requests.push(instances.map((i) => i.entityId));
      const failure = failures.shift();
      if (failure) throw failure;
      const bad = instances.find((i) => options.bad?.includes(i.entityId));
      if (bad) throw grpcError(status.INVALID_ARGUMENT, `instance ${bad.entityId} has an unexpected shape`);
      return instances.map((i) => ({ score: i.features.x ?? 0.5 }));
    },
  };
}

export const noTelemetry: Telemetry = {
  batch: () => {},
  predictCall: () => {},
  featureLookup: () => {},
  outcome: () => {},
  endToEnd: () => {},
};

export const logger = silentLogger();
