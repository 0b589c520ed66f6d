/**
 * examples/platform is a stack a user copies: it must run. Rendered offline under the mock
 * runtime (renderExample.ts), it declares the platform and a standalone feedback channel,
 * importing the package by name ("streaming-inference", mapped by the root tsconfig's `paths`).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import type { RecordedResource } from "../../tools/plan/mocks";
import { REPO_ROOT } from "../helpers/stackConfig";

const run = promisify(execFile);
let resources: RecordedResource[];

beforeAll(async () => {
  const dir = path.join(REPO_ROOT, ".local", "example-platform");
  fs.mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, "config.json");
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      "streaming-inference-example:projectId": "acme-ml-sandbox",
      "streaming-inference-example:deploymentId": "32c27e",
      "streaming-inference-example:modelArtifactUri": "gs://acme-models/fraud-scorer/v7",
      "streaming-inference-example:servingImage": "us-docker.pkg.dev/acme/serving/fraud-scorer:v7",
      "streaming-inference-example:oncallEmail": "oncall@acme.example",
    }),
  );
  const out = path.join(dir, "resources.json");
  await run(
    path.join(REPO_ROOT, "node_modules", ".bin", "tsx"),
    [path.join(__dirname, "renderExample.ts"), configFile, out],
    { cwd: REPO_ROOT, timeout: 180_000, maxBuffer: 64 * 1024 * 1024 },
  );
  resources = (JSON.parse(fs.readFileSync(out, "utf8")) as { resources: RecordedResource[] }).resources;
}, 200_000);

describe("examples/platform", () => {
  it("declares the whole platform from its typed settings", () => {
    const platform = resources.filter(
      (r) => r.type === "streaming-inference:index:StreamingInferencePlatform",
    );
    expect(platform.map((r) => r.name)).toEqual(["si-example"]);
    const pools = resources.filter((r) => r.type === "gcp:cloudrunv2/workerPool:WorkerPool");
    expect(pools.map((r) => r.inputs.name)).toEqual(["si-example-worker-us-central1"]);
  });

  it("uses MessageChannel on its own, outside the platform, with its own key", () => {
    const channel = resources.find(
      (r) => r.type === "streaming-inference:messaging:MessageChannel" && r.name === "feedback",
    );
    expect(channel).toBeDefined();
    expect(channel?.urn).not.toContain("StreamingInferencePlatform");
    const topic = resources.find(
      (r) => r.type === "gcp:pubsub/topic:Topic" && r.inputs.name === "si-example-feedback",
    );
    expect(topic?.inputs.kmsKeyName).toBe(
      "projects/acme-ml-sandbox/locations/us/keyRings/si-example-feedback-us-32c27e/cryptoKeys/pubsub",
    );
  });
});
