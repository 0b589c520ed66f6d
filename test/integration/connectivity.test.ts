/**
 * The real worker process against the stand-in playing each endpoint type, through
 * the real clients: configured as the components configure it, every event is
 * predicted; pointed at the protocol the type does not take, none is, and the worker
 * says why.
 */
import { describe, expect, it } from "vitest";
import { WORKER_LIFECYCLE } from "../../contract/lifecycle";
import { runLoad } from "../../local/run/runLoad";
import { startModelProxy } from "../../tools/chaos/modelProxy";
import { testPlatform } from "./platform";

describe.each([
  ["psc", "http"],
  ["psc", "grpc"],
  ["peering", "http"],
] as const)("a %s endpoint called over %s", (connectivity, predictProtocol) => {
  it("serves the worker on the protocol the components configure; nothing lost", async () => {
    const platform = await testPlatform({ connectivity, predictProtocol, entities: 100 });
    const worker = platform.startWorker({ maxBatchSize: 20, maxBatchDelayMs: 50 });
    await worker.ready();
    const result = await runLoad(platform, {
      messages: 200,
      rate: 0,
      poisonShare: 0,
      timeoutMs: 60_000,
      runId: `conn-${connectivity}-${predictProtocol}`,
    });
    await result.collector.close();
    expect(result.collector.summary({})).toMatchObject({ published: 200, predicted: 200, lost: 0 });
    const stats = platform.model.stats();
    expect(stats.refused).toBe(0);
    expect(stats.answered).toBeGreaterThan(0);
    expect(stats.answeredOver[predictProtocol]).toBe(stats.answered);
  });
});

describe("a worker pointed at the wrong protocol for its endpoint type", () => {
  it.each([
    ["peering endpoint, worker on gRPC", "peering", { vertexProtocol: "grpc" }],
    [
      "psc endpoint, worker on HTTP at a peering-style URI",
      "psc",
      { vertexProtocol: "http", vertexPredictUrl: "" },
    ],
  ] as const)(
    "%s: predicts nothing: the stand-in refuses every call",
    async (_name, connectivity, settings) => {
      const platform = await testPlatform({ connectivity, entities: 50 });
      const overrides: Record<string, string> = { ...settings };
      if (overrides.vertexPredictUrl === "") {
        // The PSC name (TLS as the components set it), at a peering-style path.
        const host = platform.model.pscHost("local");
        overrides.vertexPredictUrl = `https://${host}:${platform.model.httpPort}/v1/models/${platform.model.deployedModelId}:predict`;
      }
      const worker = platform.startWorker({
        maxBatchSize: 10,
        maxBatchDelayMs: 20,
        maxRetries: 0,
        ...overrides,
      });
      // A worker whose model check is refused as NOT_FOUND never becomes ready and says so
      // (worker/src/dependencyChecks.ts); one refused otherwise (FAILED_PRECONDITION) starts and fails each call.
      await worker.process.waitForOutput(
        new RegExp(`not ready: model does not answer|${JSON.stringify(WORKER_LIFECYCLE.started)}`),
        60_000,
      );
      const result = await runLoad(platform, {
        messages: 20,
        rate: 0,
        poisonShare: 0,
        timeoutMs: 5_000,
        runId: `wrong-${connectivity}`,
      });
      await result.collector.close();
      expect(result.collector.summary({}).predicted).toBe(0);
      const stats = platform.model.stats();
      expect(stats.answered).toBe(0);
      expect(stats.refused).toBeGreaterThan(0);
    },
  );
});

describe.each([
  ["psc", "http"],
  ["psc", "grpc"],
  ["peering", "http"],
] as const)("a %s endpoint over %s behind the chaos/drill model proxy", (connectivity, predictProtocol) => {
  it("the worker reaches the model through the proxy, at the name it would call in the cloud", async () => {
    const platform = await testPlatform({ connectivity, predictProtocol, entities: 50 });
    const { proxy, settings } = await startModelProxy(platform);
    try {
      const worker = platform.startWorker({ maxBatchSize: 10, maxBatchDelayMs: 20, ...settings });
      await worker.ready();
      const result = await runLoad(platform, {
        messages: 50,
        rate: 0,
        poisonShare: 0,
        timeoutMs: 30_000,
        runId: `proxy-${connectivity}-${predictProtocol}`,
      });
      await result.collector.close();
      expect(result.collector.summary({})).toMatchObject({ published: 50, predicted: 50, lost: 0 });
      expect(proxy.acceptedConnections()).toBeGreaterThan(0);
      const route = settings.vertexPredictUrl ?? `grpc://${String(settings.vertexApiEndpoint)}`;
      if (connectivity === "psc") expect(new URL(route).hostname).toBe(platform.model.pscHost("local"));
    } finally {
      await proxy.close();
    }
  });
});
