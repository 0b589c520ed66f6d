/**
 * The worker's predictor through each transport against the stand-in playing each
 * endpoint type: the right protocol and address work; the wrong ones fail the way the
 * service fails them (and are not retried as if transient).
 */
import { status } from "@grpc/grpc-js";
import type { JsonValue } from "../../contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startVertexStandIn, type VertexStandIn } from "../../local/vertex";
import { ModelAnswerError, VertexPredictor, type VertexPredictorOptions } from "../../worker/src/predictor";
import { pscClientOptions } from "../../worker/src/predict/grpcTransport";
import { grpcCodeForHttpStatus, predictionsOf } from "../../worker/src/predict/httpTransport";
import { isRetryable } from "../../worker/src/retry";

process.env.METADATA_SERVER_DETECTION = "none";

const ENDPOINT_ID = "1234567890";
const instances: JsonValue[] = [
  { entityId: "a", features: { x: 1, y: 2 } },
  { entityId: "b", features: { x: -1 } },
];

/**
 * As the worker is configured for the stand-in's type: a PSC stand-in serves TLS under its
 * self-signed certificate, so the worker calls it by the endpoint's name (resolved to the
 * stand-in's loopback address) with TLS unverified for that name, as the components set it.
 */
function predictor(standIn: VertexStandIn, over: Partial<VertexPredictorOptions>): VertexPredictor {
  const psc = standIn.connectivity === "psc";
  return new VertexPredictor({
    projectId: "p",
    location: "local",
    endpointId: ENDPOINT_ID,
    api: psc
      ? { host: standIn.pscHost("local"), port: standIn.port, plaintext: false }
      : { host: "127.0.0.1", port: standIn.port, plaintext: true },
    ...(psc ? { psc: { tls: "unverified" as const, localOnlyAddress: standIn.address } } : {}),
    timeoutMs: 2_000,
    ...over,
  });
}

async function failure(p: VertexPredictor): Promise<{ code?: number; message: string }> {
  try {
    await p.predict(instances);
  } catch (error) {
    return error as { code?: number; message: string };
  } finally {
    await p.close();
  }
  throw new Error("expected the call to fail");
}

describe.each(["psc", "peering"] as const)("a %s endpoint", (connectivity) => {
  let standIn: VertexStandIn;
  beforeAll(async () => {
    standIn = await startVertexStandIn({ endpointId: ENDPOINT_ID, connectivity });
  });
  afterAll(async () => {
    await standIn.stop();
  });

  const right = () =>
    connectivity === "psc"
      ? predictor(standIn, { protocol: "grpc" })
      : predictor(standIn, { protocol: "http", predictUrl: standIn.predictUrl("p", "local") });

  it("answers the worker on the protocol and address the endpoint type takes", async () => {
    const p = right();
    try {
      const scores = await p.predict(instances);
      expect(scores).toHaveLength(2);
      for (const s of scores) expect((s as { score: number }).score).toBeGreaterThan(0);
    } finally {
      await p.close();
    }
  });

  it("gives the same scores over either transport (the model is the same)", async () => {
    const other = await startVertexStandIn({ endpointId: ENDPOINT_ID, connectivity: "public" });
    const viaGrpc = predictor(other, { protocol: "grpc" });
    const p = right();
    try {
      expect(await p.predict(instances)).toEqual(await viaGrpc.predict(instances));
    } finally {
      await Promise.all([p.close(), viaGrpc.close(), other.stop()]);
    }
  });
});

describe("the wrong protocol or address for the endpoint type fails, not retried", () => {
  let psc: VertexStandIn;
  let peering: VertexStandIn;
  beforeAll(async () => {
    [psc, peering] = await Promise.all([
      startVertexStandIn({ endpointId: ENDPOINT_ID, connectivity: "psc" }),
      startVertexStandIn({ endpointId: ENDPOINT_ID, connectivity: "peering" }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([psc.stop(), peering.stop()]);
  });

  it("peering refuses gRPC Predict", async () => {
    const err = await failure(predictor(peering, { protocol: "grpc" }));
    expect(err.code).toBe(status.FAILED_PRECONDITION);
    expect(err.message).toMatch(/private endpoint \(VPC peering\): it takes predictions over HTTP only/);
    expect(isRetryable(err)).toBe(false);
    expect(peering.stats()).toMatchObject({ refused: 1, answered: 0 });
  });

  it("peering refuses HTTP at the endpoint path instead of the deployed model's predict URI", async () => {
    const url = `http://127.0.0.1:${peering.httpPort}/v1/projects/p/locations/local/endpoints/${ENDPOINT_ID}:predict`;
    const err = await failure(predictor(peering, { protocol: "http", predictUrl: url }));
    expect(err.code).toBe(status.NOT_FOUND);
    expect(err.message).toMatch(/only at its deployed model's predictHttpUri/);
  });

  it("psc refuses gRPC without the x-vertex-ai-endpoint-id header", async () => {
    const { v1 } = await import("@google-cloud/aiplatform");
    const client = new v1.PredictionServiceClient(
      pscClientOptions(
        psc.pscHost("local"),
        psc.port,
        { tls: "pinned", certificate: psc.tls!.certificate, localOnlyAddress: psc.address },
        undefined,
      ),
    );
    try {
      await expect(
        client.predict({
          endpoint: client.projectLocationEndpointPath("p", "local", ENDPOINT_ID),
          instances: [],
        }),
      ).rejects.toMatchObject({
        code: status.FAILED_PRECONDITION,
        details: expect.stringMatching(/must carry the x-vertex-ai-endpoint-id header/),
      });
    } finally {
      await client.close();
    }
  });

  it("psc answers NOT_FOUND for another endpoint's id", async () => {
    const err = await failure(predictor(psc, { protocol: "grpc", endpointId: "999" }));
    expect(err.code).toBe(status.NOT_FOUND);
  });

  it("psc also takes HTTP at the endpoint's predict path, but not at a peering-style URI", async () => {
    const ok = predictor(psc, { protocol: "http", predictUrl: psc.predictUrl("p", "local") });
    try {
      expect(await ok.predict(instances)).toHaveLength(2);
    } finally {
      await ok.close();
    }
    const wrong = `https://${psc.pscHost("local")}:${psc.httpPort}/v1/models/${psc.deployedModelId}:predict`;
    expect((await failure(predictor(psc, { protocol: "http", predictUrl: wrong }))).code).toBe(
      status.NOT_FOUND,
    );
  });

  it("nothing listening is UNAVAILABLE (retryable), as on gRPC", async () => {
    const err = await failure(
      predictor(peering, { protocol: "http", predictUrl: "http://127.0.0.1:1/v1/models/x:predict" }),
    );
    expect(err.code).toBe(status.UNAVAILABLE);
    expect(isRetryable(err)).toBe(true);
  });
});

describe("HTTP transport failures carry the gRPC code Google maps the HTTP status to", () => {
  it.each([
    [400, status.INVALID_ARGUMENT],
    [404, status.NOT_FOUND],
    [429, status.RESOURCE_EXHAUSTED],
    [503, status.UNAVAILABLE],
    [504, status.DEADLINE_EXCEEDED],
    [500, status.INTERNAL],
  ])("HTTP %i -> %i", (httpStatus, code) => {
    expect(grpcCodeForHttpStatus(httpStatus)).toBe(code);
  });

  it("an injected UNAVAILABLE and a hang reach the worker as UNAVAILABLE and DEADLINE_EXCEEDED over HTTP", async () => {
    const standIn = await startVertexStandIn({ endpointId: ENDPOINT_ID, connectivity: "peering" });
    try {
      standIn.setFaults({ errorRate: 1 });
      const url = standIn.predictUrl("p", "local");
      expect((await failure(predictor(standIn, { protocol: "http", predictUrl: url }))).code).toBe(
        status.UNAVAILABLE,
      );
      standIn.setFaults({ errorRate: 0, hangRate: 1 });
      const hung = await failure(predictor(standIn, { protocol: "http", predictUrl: url, timeoutMs: 200 }));
      expect(hung.code).toBe(status.DEADLINE_EXCEEDED);
      standIn.setFaults({ hangRate: 0 });
      standIn.setFaults({ errorRate: 0 });
    } finally {
      await standIn.stop();
    }
  });

  it("a rejected instance is INVALID_ARGUMENT over HTTP too (the worker bisects it out)", async () => {
    const standIn = await startVertexStandIn({ endpointId: ENDPOINT_ID, connectivity: "peering" });
    const p = predictor(standIn, { protocol: "http", predictUrl: standIn.predictUrl("p", "local") });
    try {
      await expect(p.predict([{ entityId: "a", features: {} }])).rejects.toMatchObject({
        code: status.INVALID_ARGUMENT,
      });
    } finally {
      await p.close();
      await standIn.stop();
    }
  });
});

describe("an HTTP 200 that is not an answer is reported as such, not as 0 predictions", () => {
  it.each([
    ["an empty body", undefined, "", "with an empty body"],
    [
      "a body that is not JSON",
      undefined,
      "<html>oops</html>",
      'with a body that is not JSON: "<html>oops</html>"',
    ],
    ["a null body", null, "null", 'with the JSON "null"'],
    [
      "an object without predictions",
      { outputs: [] },
      '{"outputs":[]}',
      'without a "predictions" list (keys: outputs)',
    ],
  ])("%s", (_name, parsed, text, expected) => {
    expect(() => predictionsOf(parsed, text, "model:8080")).toThrow(ModelAnswerError);
    expect(() => predictionsOf(parsed, text, "model:8080")).toThrow(expected);
  });

  it("hands back the predictions of a proper answer", () => {
    expect(predictionsOf({ predictions: [{ score: 1 }] }, "", "model")).toEqual([{ score: 1 }]);
  });
});
