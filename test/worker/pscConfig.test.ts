/**
 * The worker's PSC settings (SI_VERTEX_PSC_TLS, SI_VERTEX_PSC_CERTIFICATE,
 * SI_LOCAL_ONLY_PSC_ADDRESS) and what the components derive them from (contract/psc.ts):
 * relaxed or pinned TLS only for a name under prediction.p.vertexai.goog, the local-only
 * address only on loopback, every problem named with its variable.
 */
import { describe, expect, it } from "vitest";
import { WORKER_ENV } from "../../contract";
import { isPscHostName, pscHostName, pscTlsFor } from "../../contract/psc";
import { generatePscCertificate } from "../../local/vertex/pscCertificate";
import { loadWorkerConfig, WorkerConfigError } from "../../worker/src/config";

const HOST = pscHostName("1234567890", "us-central1", "123456789012");
const base = {
  [WORKER_ENV.projectId]: "proj",
  [WORKER_ENV.subscription]: "events-sub",
  [WORKER_ENV.predictionsTopic]: "predictions",
  [WORKER_ENV.deadLetterTopic]: "events-dlq",
  [WORKER_ENV.bigtableInstance]: "features-instance",
  [WORKER_ENV.vertexEndpointId]: "1234567890",
  [WORKER_ENV.vertexLocation]: "us-central1",
  [WORKER_ENV.modelId]: "fraud-v1",
  [WORKER_ENV.vertexProtocol]: "http",
  [WORKER_ENV.vertexPredictUrl]: `https://${HOST}/v1/projects/proj/locations/us-central1/endpoints/1234567890:predict`,
};

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadWorkerConfig(env);
  } catch (err) {
    if (err instanceof WorkerConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected a WorkerConfigError");
}

describe("the PSC host name", () => {
  it("is ENDPOINT_ID-REGION-PROJECT_NUMBER under prediction.p.vertexai.goog, one label deep", () => {
    expect(HOST).toBe("1234567890-us-central1-123456789012.prediction.p.vertexai.goog");
    expect(isPscHostName(HOST)).toBe(true);
    expect(isPscHostName(`${HOST}.`)).toBe(true);
    expect(isPscHostName("prediction.p.vertexai.goog")).toBe(false);
    expect(isPscHostName("a.b.prediction.p.vertexai.goog")).toBe(false);
    expect(isPscHostName("us-central1-aiplatform.googleapis.com")).toBe(false);
    expect(isPscHostName("evilprediction.p.vertexai.goog")).toBe(false);
  });
});

describe("pscTlsFor (what the components put in the worker's env)", () => {
  it("PSC: unverified by default, pinned with the configured certificate; nothing off PSC", () => {
    expect(pscTlsFor("psc", undefined)).toEqual({ vertexPscTls: "unverified" });
    expect(pscTlsFor("psc", "PEM")).toEqual({ vertexPscTls: "pinned", vertexPscCertificate: "PEM" });
    expect(pscTlsFor("peering", "PEM")).toBeUndefined();
  });
});

describe("loadWorkerConfig's PSC settings", () => {
  it("none set: no PSC route (the system's CAs for every host)", () => {
    expect(loadWorkerConfig(base).pscRoute).toBeUndefined();
  });

  it("unverified, and pinned with a readable certificate, for the PSC name", async () => {
    expect(loadWorkerConfig({ ...base, [WORKER_ENV.vertexPscTls]: "unverified" }).pscRoute).toEqual({
      tls: "unverified",
    });
    const { certificate } = await generatePscCertificate();
    const pinned = loadWorkerConfig({
      ...base,
      [WORKER_ENV.vertexPscTls]: "pinned",
      [WORKER_ENV.vertexPscCertificate]: certificate,
    });
    expect(pinned.pscRoute).toEqual({ tls: "pinned", certificate });
  });

  it("refuses relaxed TLS for another host (an IP, the regional API over gRPC), naming the variable", () => {
    const atIp = problemsOf({
      ...base,
      [WORKER_ENV.vertexPredictUrl]:
        "https://10.10.0.5/v1/projects/proj/locations/us-central1/endpoints/1:predict",
      [WORKER_ENV.vertexPscTls]: "unverified",
    });
    expect(atIp).toEqual([
      expect.stringMatching(
        /^SI_VERTEX_PSC_TLS is "unverified"; .*only to a host under prediction\.p\.vertexai\.goog, not 10\.10\.0\.5/,
      ),
    ]);
    const grpcApi = problemsOf({
      ...base,
      [WORKER_ENV.vertexProtocol]: "grpc",
      [WORKER_ENV.vertexPscTls]: "unverified",
    });
    expect(grpcApi[0]).toMatch(/not us-central1-aiplatform\.googleapis\.com/);
  });

  it("refuses pinned without a certificate, a certificate without pinned, and text that is not one", () => {
    expect(problemsOf({ ...base, [WORKER_ENV.vertexPscTls]: "pinned" })[0]).toMatch(
      /pinned needs the endpoint's certificate/,
    );
    expect(problemsOf({ ...base, [WORKER_ENV.vertexPscTls]: "off" })[0]).toMatch(
      /^SI_VERTEX_PSC_TLS is "off"; it must be one of unverified, pinned/,
    );
    expect(
      problemsOf({
        ...base,
        [WORKER_ENV.vertexPscCertificate]: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
      })[0],
    ).toMatch(/^SI_VERTEX_PSC_CERTIFICATE is .*not a readable certificate/);
  });

  it("takes the local-only address only on loopback (the deployment never sets it)", () => {
    expect(loadWorkerConfig({ ...base, [WORKER_ENV.localOnlyPscAddress]: "127.0.0.1" }).pscRoute).toEqual({
      localOnlyAddress: "127.0.0.1",
    });
    expect(problemsOf({ ...base, [WORKER_ENV.localOnlyPscAddress]: "10.10.0.5" })[0]).toMatch(
      /^SI_LOCAL_ONLY_PSC_ADDRESS is "10\.10\.0\.5"; it must be a loopback address/,
    );
  });
});
