/** A platform whose regions share no multi-region: shared data goes global, the image to a region. */
import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, settle, type Recorder } from "../../tools/plan/mocks";
import { StreamingInferencePlatform } from "../../components";
import { stackConfig } from "../helpers/stackConfig";

let recorder: Recorder;

beforeAll(async () => {
  recorder = await installMocks({ gcpProject: "acme-ml-prod", stack: "prod" });
  new StreamingInferencePlatform("si-prod", {
    config: stackConfig("prod", {
      regions: ["us-central1", "europe-west1"],
      analytics: { location: "us-central1" },
    }),
  });
  await settle();
});

describe("regions in two areas (us-central1 + europe-west1)", () => {
  it("keeps the worker image in the first region, with a key there", () => {
    const [repo, ...others] = recorder.ofType("gcp:artifactregistry/repository:Repository");
    expect(others).toHaveLength(0);
    expect(repo?.inputs.location).toBe("us-central1");
    expect(repo?.inputs.kmsKeyName).toMatch(
      /\/locations\/us-central1\/keyRings\/.*\/cryptoKeys\/artifactregistry$/,
    );
  });

  it("encrypts topics with a global key, since no multi-region holds both regions", () => {
    const topics = recorder.ofType("gcp:pubsub/topic:Topic");
    expect(topics.length).toBeGreaterThan(0);
    for (const topic of topics) expect(topic.inputs.kmsKeyName).toMatch(/\/locations\/global\//);
  });

  it("puts the analytics dataset and its key in the configured location", () => {
    const [dataset] = recorder.ofType("gcp:bigquery/dataset:Dataset");
    expect(dataset?.inputs.location).toBe("us-central1");
    expect(JSON.stringify(dataset?.inputs.defaultEncryptionConfiguration)).toMatch(
      /locations\/us-central1\//,
    );
  });
});
