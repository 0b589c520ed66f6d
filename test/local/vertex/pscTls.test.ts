/**
 * The stand-in's PSC front serves what Google's PSC address serves: TLS (HTTPS and gRPC)
 * under a self-signed certificate for `*.prediction.p.vertexai.goog`, not for the IP.
 * The worker's previous call (default verification, at the bare IP) fails against it; the
 * worker's PSC route (the endpoint's name, TLS unverified or pinned, for that host only)
 * succeeds, over HTTP and gRPC.
 */
import { X509Certificate } from "node:crypto";
import * as https from "node:https";
// Deep import, as the worker's transport does: the package index loads every client (slow on a busy machine).
import { PredictionServiceClient } from "@google-cloud/aiplatform/build/src/v1/prediction_service_client";
import { credentials, status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonValue } from "../../../contract";
import { startVertexStandIn, type VertexStandIn } from "../../../local/vertex";
import { generatePscCertificate } from "../../../local/vertex/pscCertificate";
import { VertexPredictor, type VertexPredictorOptions } from "../../../worker/src/predictor";
import { fixedLookup, type PscRoute } from "../../../worker/src/predict/pscTls";
import { isOutage } from "../../../worker/src/outage";

process.env.METADATA_SERVER_DETECTION = "none";

const ENDPOINT_ID = "1234567890";
const LOCATION = "us-central1";
const instances: JsonValue[] = [{ entityId: "a", features: { x: 1, y: 2 } }];
let psc: VertexStandIn;

beforeAll(async () => {
  psc = await startVertexStandIn({ endpointId: ENDPOINT_ID, connectivity: "psc" });
});
afterAll(async () => {
  await psc.stop();
});

function predictor(over: Partial<VertexPredictorOptions>): VertexPredictor {
  return new VertexPredictor({
    projectId: "p",
    location: LOCATION,
    endpointId: ENDPOINT_ID,
    api: { host: psc.pscHost(LOCATION), port: psc.port, plaintext: false },
    timeoutMs: 5_000,
    ...over,
  });
}

async function outcome(p: VertexPredictor): Promise<JsonValue[] | { code?: number; message: string }> {
  try {
    return await p.predict(instances);
  } catch (error) {
    return error as { code?: number; message: string };
  } finally {
    await p.close();
  }
}

const local = (route: PscRoute): PscRoute => ({ ...route, localOnlyAddress: psc.address });

describe("the stand-in's PSC certificate", () => {
  it("is self-signed for *.prediction.p.vertexai.goog only: the endpoint's name matches, the IP does not", () => {
    const cert = new X509Certificate(psc.tls!.certificate);
    expect(cert.subjectAltName).toBe("DNS:*.prediction.p.vertexai.goog");
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.checkHost(psc.pscHost(LOCATION))).toBe("*.prediction.p.vertexai.goog");
    expect(cert.checkIP("127.0.0.1")).toBeUndefined();
    expect(psc.pscHost(LOCATION)).toMatch(/^1234567890-us-central1-\d+\.prediction\.p\.vertexai\.goog$/);
  });

  it("is served on both fronts, and only a PSC stand-in serves TLS", async () => {
    const peering = await startVertexStandIn({ endpointId: ENDPOINT_ID, connectivity: "peering" });
    try {
      expect(peering.tls).toBeUndefined();
      expect(peering.predictUrl("p", LOCATION)).toMatch(/^http:\/\/127\.0\.0\.1:/);
    } finally {
      await peering.stop();
    }
    expect(psc.predictUrl("p", LOCATION)).toBe(
      `https://${psc.pscHost(LOCATION)}:${psc.httpPort}/v1/projects/p/locations/${LOCATION}/endpoints/${ENDPOINT_ID}:predict`,
    );
  });
});

describe("the previous call (default verification at the bare IP) fails against it", () => {
  it("HTTP: a TLS error naming TLS and the host; the model never sees the call", async () => {
    psc.resetStats();
    const url = `https://127.0.0.1:${psc.httpPort}/v1/projects/p/locations/${LOCATION}/endpoints/${ENDPOINT_ID}:predict`;
    const err = await outcome(predictor({ protocol: "http", predictUrl: url }));
    expect(err).toMatchObject({ code: status.UNKNOWN });
    expect((err as Error).message).toMatch(/^TLS handshake with 127\.0\.0\.1 failed .*self-signed/);
    expect((err as Error).message).toMatch(
      /ENDPOINT_ID-REGION-PROJECT_NUMBER\.prediction\.p\.vertexai\.goog/,
    );
    expect(psc.stats().requests).toBe(0);
    // A handshake failure is the endpoint's, not the message's: it opens the model's circuit (no nack).
    expect((err as Error).cause).toMatchObject({ code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
    expect(isOutage(err)).toBe(true);
  });

  it("gRPC: the channel's default TLS at the IP does not connect", async () => {
    const client = new PredictionServiceClient({
      apiEndpoint: "127.0.0.1",
      port: psc.port,
      sslCreds: credentials.createSsl(),
    });
    try {
      await expect(
        client.predict(
          { endpoint: client.projectLocationEndpointPath("p", LOCATION, ENDPOINT_ID), instances: [] },
          { timeout: 5_000 },
        ),
      ).rejects.toMatchObject({
        code: status.UNAVAILABLE,
        details: expect.stringMatching(/self-signed|certificate/i),
      });
    } finally {
      await client.close();
    }
  });
});

describe.each(["http", "grpc"] as const)("the worker's PSC route over %s", (protocol) => {
  const route = (tls: PscRoute) => ({
    protocol,
    ...(protocol === "http" ? { predictUrl: psc.predictUrl("p", LOCATION) } : {}),
    psc: local(tls),
  });

  it("unverified: the endpoint's name, encrypted, the certificate not checked; the model answers", async () => {
    psc.resetStats();
    const scores = await outcome(predictor(route({ tls: "unverified" })));
    expect(scores).toHaveLength(1);
    expect(psc.stats().answeredOver[protocol]).toBe(1);
  });

  it("pinned: verified against the endpoint's certificate and its name; the model answers", async () => {
    const scores = await outcome(predictor(route({ tls: "pinned", certificate: psc.tls!.certificate })));
    expect(scores).toHaveLength(1);
  });

  it("pinned to another certificate: refused at the handshake (pinning really verifies)", async () => {
    psc.resetStats();
    const other = await generatePscCertificate();
    const err = await outcome(
      predictor({ ...route({ tls: "pinned", certificate: other.certificate }), timeoutMs: 2_000 }),
    );
    expect(Array.isArray(err)).toBe(false);
    expect((err as Error).message).toMatch(
      protocol === "http"
        ? /^TLS handshake with .*prediction\.p\.vertexai\.goog failed/
        : /certificate|signature/i,
    );
    expect(psc.stats().requests).toBe(0);
  });
});

describe("relaxed TLS stays on the predict agent and the PSC name", () => {
  it("another request in the process, to the same name and address, is still verified and fails", async () => {
    const p = predictor({
      protocol: "http",
      predictUrl: psc.predictUrl("p", LOCATION),
      psc: local({ tls: "unverified" }),
    });
    try {
      expect(await p.predict(instances)).toHaveLength(1);
      expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
      expect((https.globalAgent.options as { rejectUnauthorized?: boolean }).rejectUnauthorized).not.toBe(
        false,
      );
      const host = psc.pscHost(LOCATION);
      const code = await new Promise<string | undefined>((resolve) => {
        const req = https.request(
          { host, port: psc.httpPort, method: "POST", path: "/", lookup: fixedLookup(host, psc.address) },
          (res) => {
            res.resume();
            resolve(undefined);
          },
        );
        req.on("error", (e: NodeJS.ErrnoException) => resolve(e.code));
        req.end();
      });
      expect(code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    } finally {
      await p.close();
    }
  });

  it.each([
    [
      "the regional API",
      "https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/l/endpoints/e:predict",
    ],
    ["a bare IP", "https://10.0.0.5/v1/projects/p/locations/l/endpoints/e:predict"],
    [
      "a deeper name under the zone",
      "https://a.b.prediction.p.vertexai.goog/v1/projects/p/locations/l/endpoints/e:predict",
    ],
  ])("is refused for %s", (_what, url) => {
    expect(() => predictor({ protocol: "http", predictUrl: url, psc: { tls: "unverified" } })).toThrow(
      /apply only to a host under prediction\.p\.vertexai\.goog/,
    );
  });
});
