/**
 * What a first `pulumi up` on an empty project depends on, rendered under mocks: no
 * launch stage on the GA worker pool, an Artifact Registry key grant whose member is never
 * empty (the fake identity API returns no e-mail for it, as the real one may), producers'
 * regions restricted only when asked, and a prebuilt worker image given by digest.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, settle, type Recorder } from "../../tools/plan/mocks";
import { StreamingInferencePlatform } from "../../components";
import { stackConfig } from "../helpers/stackConfig";

let recorder: Recorder;
const config = stackConfig("staging");

beforeAll(async () => {
  recorder = await installMocks({ gcpProject: "acme-ml-staging", stack: "staging" });
  new StreamingInferencePlatform("si", {
    config: { ...config, messaging: { ...config.messaging, enforceInTransit: true } },
  });
  await settle();
});

describe("a first deploy on an empty project", () => {
  it("sets no launch stage on the worker pool (GA; the API reads back its own)", () => {
    const pools = recorder.ofType("gcp:cloudrunv2/workerPool:WorkerPool");
    expect(pools).toHaveLength(1);
    expect(pools[0]?.inputs).not.toHaveProperty("launchStage");
  });

  it("grants the Artifact Registry key to the agent's e-mail built from the project number", () => {
    const grants = recorder
      .ofType("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember")
      .filter((g) => String(g.inputs.cryptoKeyId).endsWith("/cryptoKeys/artifactregistry"));
    expect(grants.map((g) => g.inputs.member)).toEqual([
      "serviceAccount:service-123456789012@gcp-sa-artifactregistry.iam.gserviceaccount.com",
    ]);
  });

  it("enforces the storage regions in transit on every topic when messaging.enforceInTransit is true", () => {
    const topics = recorder.ofType("gcp:pubsub/topic:Topic");
    expect(topics.length).toBeGreaterThanOrEqual(4);
    for (const topic of topics) {
      expect(topic.inputs.messageStoragePolicy).toEqual({
        allowedPersistenceRegions: config.regions,
        enforceInTransit: true,
      });
    }
  });

  it("refuses a prebuilt worker image that is not given by digest, or given with build options", () => {
    const withImage = (workerImage: object) => () =>
      new StreamingInferencePlatform("bad", { config, workerImage });
    expect(withImage({ imageUri: "us-docker.pkg.dev/acme/images/worker:latest" })).toThrow(
      'StreamingInferencePlatform: workerImage.imageUri is "us-docker.pkg.dev/acme/images/worker:latest"; ' +
        "give the image by digest (<host>/<project>/<repository>/<image>@sha256:<64 hex>)",
    );
    const digest = `us-docker.pkg.dev/acme/images/worker@sha256:${"0".repeat(64)}`;
    expect(withImage({ imageUri: digest, context: "/src" })).toThrow(
      "StreamingInferencePlatform: workerImage.imageUri is a prebuilt image; remove workerImage.context (build options) or imageUri",
    );
  });
});
