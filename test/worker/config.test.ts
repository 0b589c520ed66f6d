import { describe, expect, it } from "vitest";
import { BATCHING_DEFAULTS, DEFAULT_MODEL_IO, FEATURE_TABLE, WORKER_ENV } from "../../contract";
import { loadWorkerConfig, WorkerConfigError } from "../../worker/src/config";

const minimal = {
  [WORKER_ENV.projectId]: "proj",
  [WORKER_ENV.subscription]: "events-sub",
  [WORKER_ENV.predictionsTopic]: "predictions",
  [WORKER_ENV.deadLetterTopic]: "events-dlq",
  [WORKER_ENV.bigtableInstance]: "features-instance",
  [WORKER_ENV.vertexEndpointId]: "123",
  [WORKER_ENV.vertexLocation]: "europe-west4",
  [WORKER_ENV.modelId]: "fraud-v1",
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

describe("loadWorkerConfig", () => {
  it("applies the shared defaults and derives the Vertex API host from the location", () => {
    const config = loadWorkerConfig(minimal);
    expect(config).toMatchObject({
      projectId: "proj",
      region: "europe-west4",
      bigtableTable: FEATURE_TABLE.tableId,
      bigtableAppProfile: FEATURE_TABLE.appProfileId,
      maxBatchSize: BATCHING_DEFAULTS.maxBatchSize,
      maxBatchDelayMs: BATCHING_DEFAULTS.maxBatchDelayMs,
      maxInFlight: BATCHING_DEFAULTS.maxInFlight,
      maxRequestBytes: BATCHING_DEFAULTS.maxRequestBytes,
      featureCacheTtlMs: 0,
      metricsExporter: "none",
      logLevel: "info",
      vertexApi: { host: "europe-west4-aiplatform.googleapis.com", port: 443, plaintext: false },
    });
  });

  it("reads every setting from its variable", () => {
    const config = loadWorkerConfig({
      ...minimal,
      [WORKER_ENV.maxBatchSize]: "25",
      [WORKER_ENV.maxBatchDelayMs]: "40",
      [WORKER_ENV.maxInFlight]: "8",
      [WORKER_ENV.healthPort]: "0",
      [WORKER_ENV.metricsExporter]: "cloud-monitoring",
      [WORKER_ENV.vertexApiEndpoint]: "127.0.0.1:50051",
      [WORKER_ENV.logLevel]: "DEBUG",
    });
    expect(config).toMatchObject({
      maxBatchSize: 25,
      maxBatchDelayMs: 40,
      maxInFlight: 8,
      healthPort: 0,
      metricsExporter: "cloud-monitoring",
      logLevel: "debug",
      vertexApi: { host: "127.0.0.1", port: 50051, plaintext: true },
    });
  });

  it("uses TLS for a non-loopback API endpoint", () => {
    const config = loadWorkerConfig({
      ...minimal,
      [WORKER_ENV.vertexApiEndpoint]: "psc.example.internal:8443",
    });
    expect(config.vertexApi).toEqual({ host: "psc.example.internal", port: 8443, plaintext: false });
  });

  it("names each missing variable and what to set it to", () => {
    const problems = problemsOf({
      ...minimal,
      [WORKER_ENV.projectId]: undefined,
      [WORKER_ENV.modelId]: "  ",
    });
    expect(problems).toEqual([
      `SI_PROJECT_ID is unset; it is required: set it to the GCP project id (e.g. my-project)`,
      `SI_MODEL_ID is "  "; it is required: set it to the id stamped on each prediction (e.g. fraud-v3)`,
    ]);
  });

  it.each([
    [
      WORKER_ENV.maxBatchSize,
      "abc",
      "it must be a whole number from 1 to 1000 (events); unset it to use the default (50)",
    ],
    [WORKER_ENV.maxBatchSize, "0", "it must be a whole number from 1 to 1000 (events)"],
    [WORKER_ENV.maxInFlight, "65", "it must be a whole number from 1 to 64 (calls)"],
    [WORKER_ENV.maxBatchDelayMs, "1.5", "it must be a whole number from 1 to 60000 (milliseconds)"],
    [WORKER_ENV.healthPort, "70000", "it must be a whole number from 0 to 65535"],
    [
      WORKER_ENV.metricsExporter,
      "prometheus",
      "it must be one of cloud-monitoring, none; unset it to use the default (none)",
    ],
    [WORKER_ENV.logLevel, "verbose", "it must be one of debug, info, warn, error"],
    [WORKER_ENV.vertexApiEndpoint, "http://x", "it must be host or host:port"],
    [WORKER_ENV.vertexApiEndpoint, "127.0.0.1:99999", "it has a port outside 1-65535"],
  ])("reports %s=%j with the variable, the value and the fix", (name, value, expected) => {
    const problems = problemsOf({ ...minimal, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${name} is ${JSON.stringify(value)}; ${expected}`);
  });

  it("takes today's contract as the model spec when none of its variables is set", () => {
    expect(loadWorkerConfig(minimal).modelIo).toEqual(DEFAULT_MODEL_IO);
  });

  it("reads the declared features, instance shape, parameters and output spec", () => {
    const config = loadWorkerConfig({
      ...minimal,
      [WORKER_ENV.features]: JSON.stringify([{ name: "plan", type: "string", source: "store" }]),
      [WORKER_ENV.instanceShape]: "array",
      [WORKER_ENV.predictParameters]: '{"threshold":0.7}',
      [WORKER_ENV.predictionOutput]: '{"labelField":"label"}',
      [WORKER_ENV.missingFeatures]: "flag",
    });
    expect(config.modelIo).toEqual({
      missingFeatures: "flag",
      features: [{ name: "plan", type: "string", source: "store", required: true }],
      instanceShape: "array",
      parameters: { threshold: 0.7 },
      output: { labelField: "label" },
    });
  });

  it.each([
    [WORKER_ENV.features, "[{", "it is not JSON ("],
    [WORKER_ENV.features, '[{"name":"a","type":"int"}]', "it must be a JSON array of features"],
    [WORKER_ENV.predictParameters, "[1]", "it must be a JSON object: value"],
    [WORKER_ENV.missingFeatures, "ignore", "it must be one of refuse, flag"],
    [WORKER_ENV.predictionOutput, '{"scoreMin":0}', "scoreField is required with scoreMin/scoreMax"],
    [WORKER_ENV.instanceShape, "matrix", "it must be one of object, array"],
  ])("reports a bad model spec %s=%j naming the variable", (name, value, expected) => {
    const problems = problemsOf({ ...minimal, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${name} is ${JSON.stringify(value)}; `);
    expect(problems[0]).toContain(expected);
  });

  it("refuses array instances without declared features (their order is the array's)", () => {
    expect(problemsOf({ ...minimal, [WORKER_ENV.instanceShape]: "array" })).toEqual([
      'SI_INSTANCE_SHAPE is "array"; array instances are ordered by the declared features: declare model.features',
    ]);
  });

  it("reports every problem at once", () => {
    const problems = problemsOf({ [WORKER_ENV.maxInFlight]: "x" });
    expect(problems.map((p) => p.split(" ")[0])).toEqual([
      "SI_PROJECT_ID",
      "SI_INPUT_SUBSCRIPTION",
      "SI_PREDICTIONS_TOPIC",
      "SI_DEAD_LETTER_TOPIC",
      "SI_BIGTABLE_INSTANCE",
      "SI_VERTEX_ENDPOINT_ID",
      "SI_VERTEX_LOCATION",
      "SI_MODEL_ID",
      "SI_MAX_IN_FLIGHT",
    ]);
  });
});
