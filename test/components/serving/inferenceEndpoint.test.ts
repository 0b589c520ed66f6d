import { beforeAll, describe, expect, it } from "vitest";
import { FAKE_PROJECT_NUMBER, fakePscAddress } from "../../../tools/plan/fakeState";
import { installMocks, settle, valueOf, type Recorder } from "../../../tools/plan/mocks";
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
const endpoints: Record<string, InferenceEndpoint> = {};

beforeAll(async () => {
  recorder = await installMocks({ gcpProject: "acme" });
  const variants = [
    ["peering", "peering", undefined],
    ["psc", "psc", undefined],
    ["pscgrpc", "psc", "grpc"],
  ] as const;
  for (const [name, connectivity, predictProtocol] of variants) {
    endpoints[name] = new InferenceEndpoint(name, {
      project: "acme",
      prefix: `si-${name}`,
      region: "us-central1",
      connectivity,
      predictProtocol,
      networkName: "si-vpc",
      kmsKeyName: "projects/acme/locations/us-central1/keyRings/r/cryptoKeys/aiplatform",
      model,
      pscDnsZone: "si-vertex-psc",
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

describe("InferenceEndpoint's route to the model (the worker's predictProtocol and predictAddress)", () => {
  const endpointName = (prefix: string) =>
    `projects/acme/locations/us-central1/endpoints/${endpointIdFor(prefix, "us-central1")}`;

  const pscName = (prefix: string) =>
    `${endpointIdFor(prefix, "us-central1")}-us-central1-${FAKE_PROJECT_NUMBER}.prediction.p.vertexai.goog`;

  it("PSC by default: JSON over HTTPS at the endpoint's name (the one its certificate covers)", async () => {
    expect(await valueOf(endpoints.psc!.predictProtocol)).toBe("http");
    expect(await valueOf(endpoints.psc!.predictAddress)).toBe(
      `https://${pscName("si-psc")}/v1/${endpointName("si-psc")}:predict`,
    );
  });

  it("PSC with predictProtocol grpc: <name>:443 (the worker sends x-vertex-ai-endpoint-id)", async () => {
    expect(await valueOf(endpoints.pscgrpc!.predictProtocol)).toBe("grpc");
    expect(await valueOf(endpoints.pscgrpc!.predictAddress)).toBe(`${pscName("si-pscgrpc")}:443`);
  });

  it("PSC: an A record ENDPOINT_ID-REGION-PROJECT_NUMBER -> the PSC automation's address, TTL 60, in the given zone", () => {
    const record = recorder.get("gcp:dns/recordSet:RecordSet", "psc-psc-dns").inputs;
    expect(record).toMatchObject({
      managedZone: "si-vertex-psc",
      name: `${pscName("si-psc")}.`,
      type: "A",
      ttl: 60,
      rrdatas: [fakePscAddress(endpointName("si-psc"))],
    });
    expect(recorder.resources.some((r) => r.name === "peering-psc-dns")).toBe(false);
  });

  it("PSC without the zone is refused, naming the argument", () => {
    expect(
      () =>
        new InferenceEndpoint("nozone", {
          project: "acme",
          prefix: "si-nozone",
          region: "us-central1",
          networkName: "si-vpc",
          kmsKeyName: "k",
          model,
        }),
    ).toThrow(/connectivity psc needs pscDnsZone/);
  });

  it("peering: HTTP at the deployed model's predict URI", async () => {
    expect(await valueOf(endpoints.peering!.predictProtocol)).toBe("http");
    expect(await valueOf(endpoints.peering!.predictAddress)).toMatch(/^http:\/\/.+:predict$/);
  });

  it("refuses gRPC on a peering endpoint (Vertex serves peering over HTTP only)", () => {
    expect(
      () =>
        new InferenceEndpoint("bad", {
          project: "acme",
          prefix: "si-bad",
          region: "us-central1",
          connectivity: "peering",
          predictProtocol: "grpc",
          networkName: "si-vpc",
          kmsKeyName: "projects/acme/locations/us-central1/keyRings/r/cryptoKeys/aiplatform",
          model,
        }),
    ).toThrow(/predictProtocol grpc needs connectivity psc/);
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
