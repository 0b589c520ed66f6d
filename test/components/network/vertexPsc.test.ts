/**
 * The VPC's preparation for Vertex AI PSC endpoints (components/network/vertexPsc.ts): the
 * `gcp-vertexai` service connection policy without which PSC automation fails with
 * CONNECTION_POLICY_MISSING, and the private `prediction.p.vertexai.goog.` zone; and an
 * endpoint that waits for its region's policy and subnet and puts its A record in the zone.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, settle, type Recorder } from "../../../tools/plan/mocks";
import { PrivateNetwork } from "../../../components/network";
import { InferenceEndpoint, type ServedModel } from "../../../components/serving";

const POLICY = "gcp:networkconnectivity/serviceConnectionPolicy:ServiceConnectionPolicy";
const ZONE = "gcp:dns/managedZone:ManagedZone";
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
  const subnetCidrs = { "us-central1": "10.30.0.0/20", "europe-west4": "10.31.0.0/20" };
  const psc = new PrivateNetwork("psc", {
    project: "acme",
    prefix: "si",
    subnetCidrs,
    privateServicesCidr: "10.130.0.0/16",
    vertexPrivateServiceConnect: true,
  });
  new PrivateNetwork("peer", {
    project: "acme",
    prefix: "pe",
    subnetCidrs,
    privateServicesCidr: "10.131.0.0/16",
  });
  new InferenceEndpoint("ep", {
    project: "acme",
    prefix: "si",
    region: "us-central1",
    networkName: psc.networkName,
    kmsKeyName: "k",
    model,
    pscDnsZone: psc.vertexPscZoneName,
    pscConnectionPolicy: psc.vertexPscPolicies["us-central1"],
    subnet: psc.subnets["us-central1"],
  });
  await settle();
});

describe("PrivateNetwork with vertexPrivateServiceConnect", () => {
  it("declares a gcp-vertexai service connection policy per region, on the VPC, naming that region's subnet", () => {
    const policies = recorder.ofType(POLICY).map((p) => p.inputs);
    expect(policies).toHaveLength(2);
    expect(policies.find((p) => p.location === "us-central1")).toMatchObject({
      name: "si-vertexai-us-central1",
      serviceClass: "gcp-vertexai",
      network: "projects/acme/global/networks/si-vpc",
      pscConfig: { subnetworks: ["projects/acme/regions/us-central1/subnetworks/si-us-central1"] },
    });
  });

  it("declares a private prediction.p.vertexai.goog. zone visible to the VPC only", () => {
    const zone = recorder.get(ZONE, "psc-vertex-psc").inputs;
    expect(zone).toMatchObject({
      name: "si-vertex-psc",
      dnsName: "prediction.p.vertexai.goog.",
      visibility: "private",
      privateVisibilityConfig: {
        networks: [
          { networkUrl: "https://www.googleapis.com/compute/v1/projects/acme/global/networks/si-vpc" },
        ],
      },
    });
  });

  it("declares neither without it (peering)", () => {
    expect(recorder.ofType(POLICY).some((p) => p.name.startsWith("peer"))).toBe(false);
    expect(recorder.ofType(ZONE).map((z) => z.name)).not.toContain("peer-vertex-psc");
  });

  it("an endpoint on it waits for its region's policy, and its model deployment for the policy and the subnet", () => {
    const urnOf = (type: string, name: string) => recorder.get(type, name).urn;
    const policy = urnOf(POLICY, "psc-vertex-psc-us-central1");
    const subnet = urnOf("gcp:compute/subnetwork:Subnetwork", "psc-us-central1");
    expect(recorder.get("gcp:vertex/aiEndpoint:AiEndpoint", "ep-endpoint").dependencies).toContain(policy);
    const deployment = recorder.get("pulumi-nodejs:dynamic/vertex:ModelDeployment", "ep-model").dependencies;
    expect(deployment).toEqual(expect.arrayContaining([policy, subnet]));
    expect(recorder.get("gcp:dns/recordSet:RecordSet", "ep-psc-dns").inputs.managedZone).toBe(
      "si-vertex-psc",
    );
  });
});
