/**
 * Runs the Vertex stand-in as its own process:
 *   tsx local/vertex/main.ts --port 8500 --latency-ms 20 --error-rate 0.1 --error-code UNAVAILABLE
 * Settings can be changed while it runs by writing JSON lines to its stdin, e.g.
 *   {"faults": {"errorRate": 1}}   or   {"latency": {"fixedMs": 200}}
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { status } from "@grpc/grpc-js";
import { STAND_IN_MODEL_NAMES } from "./models";
import { parseConnectivity } from "./connectivity";
import { startVertexStandIn } from "./server";
import type { FaultSettings, LatencySettings } from "./settings";

const USAGE = `usage: tsx local/vertex/main.ts [--port N] [--latency-ms N] [--per-instance-ms N]
  [--error-rate 0..1] [--error-code UNAVAILABLE|14] [--hang-rate 0..1] [--wrong-count-rate 0..1]
  [--endpoint-id ID] [--seed N] [--model scorer|iris] [--connectivity public|psc|peering]`;

function numberOption(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value))
    throw new Error(`--${name} must be a number, got "${raw}"\n${USAGE}`);
  return value;
}

/** Accepts a status name (UNAVAILABLE) or its number (14). */
export function parseStatusCode(raw: string): status {
  const byName = (status as unknown as Record<string, number | undefined>)[raw.toUpperCase()];
  const code = byName ?? Number(raw);
  if (!Number.isInteger(code) || status[code] === undefined) {
    throw new Error(
      `--error-code must be a gRPC status name or number (e.g. UNAVAILABLE or 14), got "${raw}"`,
    );
  }
  return code;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "0" },
      "latency-ms": { type: "string" },
      "per-instance-ms": { type: "string" },
      "error-rate": { type: "string" },
      "error-code": { type: "string" },
      "hang-rate": { type: "string" },
      "wrong-count-rate": { type: "string" },
      "endpoint-id": { type: "string" },
      seed: { type: "string" },
      model: { type: "string", default: "scorer" },
      connectivity: { type: "string", default: "public" },
      help: { type: "boolean" },
    },
  });
  if (values.help === true) {
    console.log(USAGE);
    return;
  }
  const latency: Partial<LatencySettings> = definedOnly({
    fixedMs: numberOption("latency-ms", values["latency-ms"]),
    perInstanceMs: numberOption("per-instance-ms", values["per-instance-ms"]),
  });
  const faults: Partial<FaultSettings> = definedOnly({
    errorRate: numberOption("error-rate", values["error-rate"]),
    errorCode: values["error-code"] === undefined ? undefined : parseStatusCode(values["error-code"]),
    hangRate: numberOption("hang-rate", values["hang-rate"]),
    wrongCountRate: numberOption("wrong-count-rate", values["wrong-count-rate"]),
  });
  const model = STAND_IN_MODEL_NAMES.find((name) => name === values.model);
  if (model === undefined)
    throw new Error(
      `--model must be one of ${STAND_IN_MODEL_NAMES.join(", ")}, got "${values.model}"\n${USAGE}`,
    );
  const standIn = await startVertexStandIn({
    model,
    port: numberOption("port", values.port),
    endpointId: values["endpoint-id"],
    seed: numberOption("seed", values.seed),
    connectivity: parseConnectivity(values.connectivity),
    latency,
    faults,
  });
  console.log(
    JSON.stringify({
      message: "Vertex stand-in listening",
      apiEndpoint: standIn.apiEndpoint,
      connectivity: standIn.connectivity,
      predictUrl: standIn.predictUrl("local-project", "local"),
      ...standIn.latency(),
      ...standIn.faults(),
    }),
  );

  const settingsLines = process.stdin.isTTY ? undefined : createInterface({ input: process.stdin });
  if (settingsLines !== undefined) {
    settingsLines.on("line", (line) => {
      if (line.trim() === "") return;
      try {
        const change = JSON.parse(line) as {
          latency?: Partial<LatencySettings>;
          faults?: Partial<FaultSettings>;
        };
        if (change.latency !== undefined) standIn.setLatency(change.latency);
        if (change.faults !== undefined) standIn.setFaults(change.faults);
        console.log(
          JSON.stringify({
            message: "settings changed",
            latency: standIn.latency(),
            faults: standIn.faults(),
          }),
        );
      } catch (error) {
        console.error(
          JSON.stringify({ message: `ignored settings line: ${(error as Error).message}`, line }),
        );
      }
    });
  }

  const shutdown = () => {
    console.log(JSON.stringify({ message: "Vertex stand-in stopping", stats: standIn.stats() }));
    settingsLines?.close();
    process.stdin.destroy();
    void standIn.stop();
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
