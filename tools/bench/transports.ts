/**
 * `npx tsx tools/bench/transports.ts [calls] [batch] [inFlight]`: the worker's two predict
 * transports side by side against the stand-in (no emulators, no model latency): gRPC
 * with the endpoint-id header on a PSC stand-in, HTTP at the predict URI on a peering
 * one. Rounds alternate, so both see the same machine load. Prints calls/s, instances/s
 * and call latency percentiles per transport.
 */
import { percentile } from "../../local/outcomes/percentiles";
import { startVertexStandIn } from "../../local/vertex";
import type { JsonValue } from "../../contract";
import { VertexPredictor } from "../../worker/src/predictor";

process.env.METADATA_SERVER_DETECTION ??= "none";

const [calls = 2000, batch = 50, inFlight = 4] = process.argv.slice(2).map(Number);
const ENDPOINT_ID = "1234567890";
const instances: JsonValue[] = Array.from({ length: batch }, (_, i) => ({
  entityId: `e${i}`,
  features: { recency: i / 10, frequency: 2, monetary: -1.25, tenure: 3, basket: 0.5 },
}));

async function round(p: VertexPredictor, n: number): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const lane = async () => {
    while (next < n) {
      next += 1;
      const started = performance.now();
      await p.predict(instances);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return latencies;
}

async function main(): Promise<void> {
  const psc = await startVertexStandIn({ endpointId: ENDPOINT_ID, connectivity: "psc" });
  const peering = await startVertexStandIn({ endpointId: ENDPOINT_ID, connectivity: "peering" });
  const base = { projectId: "local-project", location: "local", endpointId: ENDPOINT_ID, timeoutMs: 10_000 };
  const transports = {
    // As the worker calls PSC: by the endpoint's name over TLS (unverified, the default), resolved locally.
    "psc (gRPC)": new VertexPredictor({
      ...base,
      api: { host: psc.pscHost("local"), port: psc.port, plaintext: false },
      protocol: "grpc",
      psc: { tls: "unverified", localOnlyAddress: psc.address },
    }),
    "peering (HTTP)": new VertexPredictor({
      ...base,
      api: { host: "127.0.0.1", port: peering.port, plaintext: true },
      protocol: "http",
      predictUrl: peering.predictUrl("local-project", "local"),
      maxConnections: inFlight,
    }),
  };
  const results: Record<string, { latencies: number[]; ms: number }> = {};
  const rounds = 4;
  for (const [name, p] of Object.entries(transports)) {
    await round(p, 50); // warm up: connections, JIT
    results[name] = { latencies: [], ms: 0 };
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, p] of Object.entries(transports)) {
      const started = performance.now();
      const latencies = await round(p, Math.ceil(calls / rounds));
      results[name]!.ms += performance.now() - started;
      results[name]!.latencies.push(...latencies);
    }
  }
  for (const [name, { latencies, ms }] of Object.entries(results)) {
    const sorted = [...latencies].sort((a, b) => a - b);
    const perSecond = (latencies.length / ms) * 1000;
    console.log(
      `${name.padEnd(15)} ${latencies.length} calls of ${batch}, ${inFlight} in flight: ` +
        `${perSecond.toFixed(0)} calls/s = ${(perSecond * batch).toFixed(0)} instances/s; ` +
        `call p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms`,
    );
  }
  await Promise.all(Object.values(transports).map((p) => p.close()));
  await Promise.all([psc.stop(), peering.stop()]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
