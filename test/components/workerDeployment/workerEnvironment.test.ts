import { describe, expect, it } from "vitest";
import {
  workerEnvironment,
  type InferenceWorkerSettings,
} from "../../../components/workerDeployment/workerEnvironment";
import { WORKER_ENV } from "../../../contract";
import { loadWorkerConfig } from "../../../worker/src/config";

const settings: InferenceWorkerSettings = {
  projectId: "acme-ml-prod",
  region: "us-central1",
  subscription: "si-prod-events-us-central1",
  predictionsTopic: "si-prod-predictions",
  deadLetterTopic: "si-prod-events-dlq",
  bigtableInstance: "si-prod-features",
  bigtableTable: "features",
  bigtableAppProfile: "worker",
  vertexEndpointId: "1234567890",
  vertexLocation: "us-central1",
  modelId: "fraud-scorer",
  maxBatchSize: 50,
  maxBatchDelayMs: 1000,
  maxInFlight: 4,
  predictTimeoutMs: 10_000,
  featureCacheTtlMs: 0,
};

function asRecord(env: ReturnType<typeof workerEnvironment>): Record<string, string> {
  return Object.fromEntries(env.map((e) => [e.name, e.value as string]));
}

describe("workerEnvironment", () => {
  it("names every variable through WORKER_ENV and writes numbers in decimal", () => {
    const env = asRecord(workerEnvironment(settings));
    expect(env).toEqual({
      [WORKER_ENV.projectId]: "acme-ml-prod",
      [WORKER_ENV.region]: "us-central1",
      [WORKER_ENV.subscription]: "si-prod-events-us-central1",
      [WORKER_ENV.predictionsTopic]: "si-prod-predictions",
      [WORKER_ENV.deadLetterTopic]: "si-prod-events-dlq",
      [WORKER_ENV.bigtableInstance]: "si-prod-features",
      [WORKER_ENV.bigtableTable]: "features",
      [WORKER_ENV.bigtableAppProfile]: "worker",
      [WORKER_ENV.vertexEndpointId]: "1234567890",
      [WORKER_ENV.vertexLocation]: "us-central1",
      [WORKER_ENV.modelId]: "fraud-scorer",
      [WORKER_ENV.maxBatchSize]: "50",
      [WORKER_ENV.maxBatchDelayMs]: "1000",
      [WORKER_ENV.maxInFlight]: "4",
      [WORKER_ENV.predictTimeoutMs]: "10000",
      [WORKER_ENV.featureCacheTtlMs]: "0",
      [WORKER_ENV.metricsExporter]: "cloud-monitoring",
    });
  });

  it("leaves unset optional settings out, and includes them when set", () => {
    const plain = asRecord(workerEnvironment(settings));
    expect(plain).not.toHaveProperty(WORKER_ENV.vertexApiEndpoint);
    expect(plain).not.toHaveProperty(WORKER_ENV.logLevel);
    const tuned = asRecord(workerEnvironment({ ...settings, logLevel: "debug", drainTimeoutMs: 5000 }));
    expect(tuned[WORKER_ENV.logLevel]).toBe("debug");
    expect(tuned[WORKER_ENV.drainTimeoutMs]).toBe("5000");
  });

  it("produces an environment the worker's own parser accepts, with the same values", () => {
    const parsed = loadWorkerConfig(asRecord(workerEnvironment(settings)));
    expect(parsed).toMatchObject({
      projectId: "acme-ml-prod",
      subscription: "si-prod-events-us-central1",
      vertexEndpointId: "1234567890",
      vertexApi: { host: "us-central1-aiplatform.googleapis.com", port: 443, plaintext: false },
      maxBatchSize: 50,
      metricsExporter: "cloud-monitoring",
    });
  });

  it("passes a declared model spec so the worker reads it back unchanged, and nothing for today's contract", () => {
    const plain = asRecord(
      workerEnvironment({ ...settings, modelIo: { instanceShape: "object", missingFeatures: "refuse" } }),
    );
    for (const key of [
      "features",
      "instanceShape",
      "predictParameters",
      "predictionOutput",
      "missingFeatures",
    ] as const)
      expect(plain).not.toHaveProperty(WORKER_ENV[key]);

    const modelIo = {
      features: [
        { name: "amount", type: "number" as const, source: "either" as const, required: true },
        { name: "plan", type: "string" as const, source: "store" as const, required: false, default: "free" },
      ],
      instanceShape: "array" as const,
      parameters: { threshold: 0.7 },
      output: { scoreField: "scores.1", scoreMin: 0, scoreMax: 1 },
      missingFeatures: "flag" as const,
    };
    const parsed = loadWorkerConfig(asRecord(workerEnvironment({ ...settings, modelIo })));
    expect(parsed.modelIo).toEqual(modelIo);
  });
});
