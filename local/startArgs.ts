/**
 * Command line of `npm start`, checked up front with messages that name the
 * option, the value and what is allowed.
 */
import { parseArgs } from "node:util";
import { joinNegativeValues } from "./cli/negativeValues";
import { STAND_IN_MODEL_NAMES, type StandInModelName } from "./vertex/models";
import {
  CONNECTIVITY_USAGE,
  parseConnectivityOption,
  parsePredictProtocolOption,
} from "./connectivityOption";
import { refuseGrpcOnPeering, type LocalConnectivity, type LocalPredictProtocol } from "./platform";

export interface StartOptions {
  messages: number;
  /** msg/s; 0 = as fast as possible. */
  rate: number;
  poisonShare: number;
  entities: number;
  timeoutSeconds: number;
  json?: string;
  /** Vertex stand-in latency per call and per instance, ms. */
  modelLatencyMs: number;
  modelPerInstanceMs: number;
  /** Worker micro-batching. */
  batchSize?: number;
  batchDelayMs?: number;
  inFlight?: number;
  /** Worker processes on the one input subscription, as instances of the pool. */
  workers: number;
  /** The model run end to end (stand-in model, seeded rows, worker settings). */
  model: StandInModelName;
  /** Endpoint type the stand-in plays and the worker is configured for. */
  connectivity: LocalConnectivity;
  predictProtocol: LocalPredictProtocol;
}

export const START_USAGE = `usage: npm start -- [options]
  --messages N          events to publish (default 1000)
  --rate N              events per second, 0 = as fast as possible (default 0)
  --poison SHARE        share of poison events, 0..1, mixing invalid JSON, missing eventId,
                        missing entityId, unknown entity, out-of-range feature (default 0)
  --entities N          entities seeded in Bigtable (default 1000)
  --timeout SECONDS     stop waiting for outcomes after this long (default 60 + messages/200)
  --json FILE           write the summary as JSON to FILE
  --model-latency-ms N  stand-in model latency per call (default 20)
  --model-per-instance-ms N  and per instance (default 0.2)
  --batch-size N, --batch-delay-ms N, --in-flight N   worker micro-batching (worker defaults)
  --workers N           worker processes on the one subscription, like pool instances, 1..8 (default 1)
  --model NAME          scorer ({entityId, features} in, {score} out; default) or iris
                        (4 numbers in, {label, probabilities} out); see docs/models.md

${CONNECTIVITY_USAGE}`;

function number(
  name: string,
  raw: string | undefined,
  fallback: number,
  check: { min: number; max?: number; integer?: boolean },
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  const range = check.max === undefined ? `>= ${check.min}` : `from ${check.min} to ${check.max}`;
  const kind = check.integer === true ? "a whole number" : "a number";
  if (
    raw.trim() === "" ||
    !Number.isFinite(value) ||
    (check.integer === true && !Number.isInteger(value)) ||
    value < check.min ||
    (check.max !== undefined && value > check.max)
  ) {
    throw new Error(`--${name} must be ${kind} ${range}, got "${raw}"\n${START_USAGE}`);
  }
  return value;
}

function optionalInteger(name: string, raw: string | undefined): number | undefined {
  return raw === undefined ? undefined : number(name, raw, 0, { min: 1, integer: true });
}

function modelName(raw: string | undefined): StandInModelName {
  if (raw === undefined) return "scorer";
  const found = STAND_IN_MODEL_NAMES.find((name) => name === raw);
  if (found === undefined)
    throw new Error(
      `--model must be one of ${STAND_IN_MODEL_NAMES.join(", ")}, got "${raw}"\n${START_USAGE}`,
    );
  return found;
}

function withUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${START_USAGE}`);
  }
}

/** Parses argv (without node and the script); throws with the usage on a bad option. */
export function parseStartArgs(argv: readonly string[]): StartOptions | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args: joinNegativeValues(argv), // so "--rate -5" gets the range check, not "ambiguous"
      strict: true,
      options: {
        messages: { type: "string" },
        rate: { type: "string" },
        poison: { type: "string" },
        entities: { type: "string" },
        timeout: { type: "string" },
        json: { type: "string" },
        "model-latency-ms": { type: "string" },
        "model-per-instance-ms": { type: "string" },
        "batch-size": { type: "string" },
        "batch-delay-ms": { type: "string" },
        "in-flight": { type: "string" },
        workers: { type: "string" },
        model: { type: "string" },
        connectivity: { type: "string" },
        protocol: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${START_USAGE}`);
  }
  if (values.help === true) return "help";
  const messages = number("messages", values.messages, 1000, { min: 1, integer: true });
  const connectivity = withUsage(() => parseConnectivityOption(values.connectivity));
  const predictProtocol = withUsage(() => parsePredictProtocolOption(values.protocol));
  // Refused here, as a bad argument (exit 2), before any emulator starts.
  withUsage(() => refuseGrpcOnPeering(connectivity, predictProtocol));
  return {
    messages,
    rate: number("rate", values.rate, 0, { min: 0 }),
    poisonShare: number("poison", values.poison, 0, { min: 0, max: 1 }),
    entities: number("entities", values.entities, 1000, { min: 1, integer: true }),
    timeoutSeconds: number("timeout", values.timeout, 60 + Math.ceil(messages / 200), { min: 1 }),
    json: values.json,
    modelLatencyMs: number("model-latency-ms", values["model-latency-ms"], 20, { min: 0 }),
    modelPerInstanceMs: number("model-per-instance-ms", values["model-per-instance-ms"], 0.2, { min: 0 }),
    batchSize: optionalInteger("batch-size", values["batch-size"]),
    batchDelayMs: optionalInteger("batch-delay-ms", values["batch-delay-ms"]),
    inFlight: optionalInteger("in-flight", values["in-flight"]),
    workers: number("workers", values.workers, 1, { min: 1, max: 8, integer: true }),
    model: modelName(values.model),
    connectivity,
    predictProtocol,
  };
}
