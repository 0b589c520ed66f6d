/**
 * The Vertex stand-in through the unmodified @google-cloud/aiplatform client,
 * over real gRPC on loopback.
 */
import { helpers, v1 } from "@google-cloud/aiplatform";
import { credentials, status } from "@grpc/grpc-js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startVertexStandIn } from "../../../local/vertex";
import type { VertexStandIn } from "../../../local/vertex";

process.env.METADATA_SERVER_DETECTION = "none";

type Instance = Record<string, unknown>;

function clientFor(standIn: VertexStandIn): v1.PredictionServiceClient {
  return new v1.PredictionServiceClient({
    apiEndpoint: "127.0.0.1",
    port: standIn.port,
    sslCreds: credentials.createInsecure(),
  });
}

async function scores(
  client: v1.PredictionServiceClient,
  instances: Instance[],
  options: { timeout?: number; endpointId?: string } = {},
): Promise<number[]> {
  const endpoint = client.projectLocationEndpointPath(
    "local-project",
    "local",
    options.endpointId ?? "local",
  );
  const [response] = await client.predict(
    { endpoint, instances: instances.map((instance) => helpers.toValue(instance)!) },
    { timeout: options.timeout ?? 10_000 },
  );
  return (response.predictions ?? []).map((p) => (helpers.fromValue(p as never) as { score: number }).score);
}

async function grpcFailure(promise: Promise<unknown>): Promise<{ code?: number; details?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: number; details?: string };
  }
  throw new Error("expected the call to fail");
}

const a = { entityId: "entity-a", features: { recency: 0.5, frequency: 2, monetary: -1.25 } };
const b = { entityId: "entity-b", features: { recency: -2, frequency: 0.1 } };

describe("Vertex stand-in", () => {
  let standIn: VertexStandIn;
  let client: v1.PredictionServiceClient;

  beforeAll(async () => {
    standIn = await startVertexStandIn({ endpointId: "local" });
    client = clientFor(standIn);
  });
  afterEach(() => {
    standIn.setFaults({
      errorRate: 0,
      hangRate: 0,
      wrongCountRate: 0,
      errorCode: status.UNAVAILABLE,
      badAnswerFeature: "",
    });
    standIn.setLatency({ fixedMs: 0, perInstanceMs: 0 });
    standIn.resetStats();
  });
  afterAll(async () => {
    await client.close();
    await standIn.stop();
  });

  describe("model", () => {
    it("scores each instance in (0, 1), one prediction per instance, in order", async () => {
      const [scoreA, scoreB] = await scores(client, [a, b]);
      expect(scoreA).toBeGreaterThan(0);
      expect(scoreA).toBeLessThan(1);
      expect(scoreB).toBeGreaterThan(0);
      expect(scoreB).toBeLessThan(1);
      expect(scoreA).not.toBe(scoreB);
      expect(await scores(client, [b, a])).toEqual([scoreB, scoreA]);
    });

    it("is deterministic: same score across calls, batches, feature order and server instances", async () => {
      const [alone] = await scores(client, [a]);
      const reordered = { entityId: "entity-a", features: { monetary: -1.25, recency: 0.5, frequency: 2 } };
      const other = await startVertexStandIn();
      const otherClient = clientFor(other);
      try {
        expect(await scores(otherClient, [b, b, reordered])).toEqual([
          ...(await scores(client, [b, b])),
          alone,
        ]);
      } finally {
        await otherClient.close();
        await other.stop();
      }
    });

    it("derives weights from feature names, not from the entity id", async () => {
      const [scoreA] = await scores(client, [a]);
      const [sameFeatures] = await scores(client, [{ ...a, entityId: "someone-else" }]);
      const [renamed] = await scores(client, [
        { entityId: "entity-a", features: { r: 0.5, f: 2, m: -1.25 } },
      ]);
      expect(sameFeatures).toBe(scoreA);
      expect(renamed).not.toBe(scoreA);
    });
  });

  describe("rejection of invalid instances", () => {
    it.each([
      ["empty features", { entityId: "e", features: {} }, 'instance[1]: (entity "e") has no features'],
      [
        "an out-of-range value",
        { entityId: "e", features: { x: 2e6 } },
        'instance[1]: (entity "e") feature "x" = 2000000 is out of range (|value| <= 1000000)',
      ],
      [
        "a non-finite value",
        { entityId: "e", features: { x: Number.POSITIVE_INFINITY } },
        'instance[1]: (entity "e") feature "x" must be a finite number',
      ],
      ["a missing entityId", { features: { x: 1 } }, 'instance[1]: "entityId" must be a non-empty string'],
    ])("rejects the whole request with INVALID_ARGUMENT naming the index for %s", async (_, bad, message) => {
      const error = await grpcFailure(scores(client, [a, bad, b]));
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      expect(error.details).toContain(message);
      expect(standIn.stats()).toMatchObject({ requests: 1, rejected: 1, answered: 0 });
    });

    it("answers NOT_FOUND for another endpoint id", async () => {
      const error = await grpcFailure(scores(client, [a], { endpointId: "elsewhere" }));
      expect(error.code).toBe(status.NOT_FOUND);
    });

    it("answers UNIMPLEMENTED for methods other than Predict", async () => {
      const endpoint = client.projectLocationEndpointPath("local-project", "local", "local");
      const error = await grpcFailure(client.explain({ endpoint, instances: [helpers.toValue(a)!] }));
      expect(error.code).toBe(status.UNIMPLEMENTED);
    });
  });

  describe("fault injection, changed at run time", () => {
    it("answers with the configured error code, then recovers when the fault is cleared", async () => {
      standIn.setFaults({ errorRate: 1, errorCode: status.RESOURCE_EXHAUSTED });
      expect((await grpcFailure(scores(client, [a]))).code).toBe(status.RESOURCE_EXHAUSTED);
      standIn.setFaults({ errorRate: 0 });
      expect(await scores(client, [a])).toHaveLength(1);
      expect(standIn.stats()).toMatchObject({ requests: 2, injectedErrors: 1, answered: 1 });
    });

    it("injects errors in about the configured share of calls, replayably by seed", async () => {
      const outcomes = async (seed: number) => {
        const flaky = await startVertexStandIn({ seed, faults: { errorRate: 0.5 } });
        const flakyClient = clientFor(flaky);
        const results: boolean[] = [];
        for (let i = 0; i < 40; i++)
          results.push(
            await scores(flakyClient, [a]).then(
              () => true,
              () => false,
            ),
          );
        await flakyClient.close();
        await flaky.stop();
        return results;
      };
      const first = await outcomes(7);
      const failures = first.filter((ok) => !ok).length;
      expect(failures).toBeGreaterThan(8);
      expect(failures).toBeLessThan(32);
      expect(await outcomes(7)).toEqual(first);
    });

    it("hangs until the client's deadline", async () => {
      standIn.setFaults({ hangRate: 1 });
      const error = await grpcFailure(scores(client, [a], { timeout: 300 }));
      expect(error.code).toBe(status.DEADLINE_EXCEEDED);
      expect(standIn.stats().hangs).toBe(1);
    });

    it("answers with one prediction too few under the wrong-count fault", async () => {
      standIn.setFaults({ wrongCountRate: 1 });
      expect(await scores(client, [a, b, a])).toHaveLength(2);
    });

    it("answers an instance carrying the bad-answer feature with an error of its own, its batch-mates as usual", async () => {
      standIn.setFaults({ badAnswerFeature: "frequency" });
      const c = { entityId: "entity-c", features: { recency: 1 } };
      const scored = await scores(client, [c, a, c]); // a carries "frequency"
      expect(scored[0]).toBeGreaterThan(0);
      expect(scored[1]).toBeUndefined(); // {"error": {...}} has no score
      expect(scored[2]).toBe(scored[0]);
      expect(standIn.stats().badAnswers).toBe(1);
    });

    it("adds fixed and per-instance latency", async () => {
      standIn.setLatency({ fixedMs: 100, perInstanceMs: 50 });
      const started = performance.now();
      await scores(client, [a, b, a, b]);
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    });

    it("counts batch sizes of answered calls", async () => {
      await scores(client, [a]);
      await scores(client, [a, b]);
      await scores(client, [b, a]);
      expect(standIn.stats().batchSizes).toEqual({ 1: 1, 2: 2 });
      expect(standIn.stats().instances).toBe(5);
    });

    it("refuses nonsense settings, naming the key", () => {
      expect(() => standIn.setFaults({ errorRate: 1.5 })).toThrow(
        "faults.errorRate must be between 0 and 1, got 1.5",
      );
      expect(() => standIn.setFaults({ errorCode: status.OK })).toThrow(
        "faults.errorCode must be a gRPC status code",
      );
      expect(() => standIn.setLatency({ fixedMs: -1 })).toThrow(
        "latency.fixedMs must be a finite number >= 0",
      );
      expect(standIn.faults().errorRate).toBe(0);
    });
  });
});
