import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, settle, type Recorder } from "../../../tools/plan/mocks";
import { InferenceEndpoint, endpointIdFor, type ServedModel } from "../../../components/serving";
import { KNOWN_REGIONS } from "../../../components/config";

const ENDPOINT = "gcp:vertex/aiEndpoint:AiEndpoint";
const model: ServedModel = {
  displayName: "scorer",
  artifactUri: "gs://m/v1",
  servingImage: "us-docker.pkg.dev/p/r/scorer:v1",
  predictRoute: "/predict",
  healthRoute: "/health",
  port: 8080,
  machineType: "n1-standard-4",
  acceleratorType: "NVIDIA_TESLA_T4",
  acceleratorCount: 1,
  minReplicas: 1,
  maxReplicas: 2,
  dutyCycleTarget: 60,
};
let recorder: Recorder;

beforeAll(async () => {
  recorder = await installMocks({ gcpProject: "acme" });
  for (const connectivity of ["peering", "psc"] as const) {
    new InferenceEndpoint(connectivity, {
      project: "acme",
      prefix: `si-${connectivity}`,
      region: "us-central1",
      connectivity,
      networkName: "si-vpc",
      kmsKeyName: "projects/acme/locations/us-central1/keyRings/r/cryptoKeys/aiplatform",
      model,
    });
  }
  await settle();
});

describe("InferenceEndpoint", () => {
  it("peers with the VPC by project number, and is not PSC", () => {
    const e = recorder.get(ENDPOINT, "peering-endpoint").inputs;
    expect(e.network).toBe("projects/123456789012/global/networks/si-vpc");
    expect(e.privateServiceConnectConfig).toBeUndefined();
  });

  it("with PSC, lets only its project connect and creates the PSC endpoint in the VPC, without peering", () => {
    const e = recorder.get(ENDPOINT, "psc-endpoint").inputs;
    expect(e.network).toBeUndefined();
    expect(e.privateServiceConnectConfig).toEqual({
      enablePrivateServiceConnect: true,
      projectAllowlists: ["acme"],
      pscAutomationConfigs: [{ projectId: "acme", network: "projects/acme/global/networks/si-vpc" }],
    });
  });

  it("deploys the model to its own endpoint, encrypted with the region's key", () => {
    const deployment = recorder.get("pulumi-nodejs:dynamic/vertex:ModelDeployment", "psc-model").inputs;
    expect(deployment.endpoint).toBe(
      `projects/acme/locations/us-central1/endpoints/${endpointIdFor("si-psc", "us-central1")}`,
    );
    expect(deployment.kmsKeyName).toBe(
      "projects/acme/locations/us-central1/keyRings/r/cryptoKeys/aiplatform",
    );
  });
});

describe("endpointIdFor", () => {
  it("is a stable 10-digit id without a leading zero, distinct per region", () => {
    const ids = KNOWN_REGIONS.map((r) => endpointIdFor("si-prod", r));
    expect(ids.every((id) => /^[1-9]\d{9}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(endpointIdFor("si-prod", "us-central1")).toBe(endpointIdFor("si-prod", "us-central1"));
    expect(endpointIdFor("si-staging", "us-central1")).not.toBe(endpointIdFor("si-prod", "us-central1"));
  });
});
