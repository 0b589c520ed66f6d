/** The provider's serving address per endpoint type, and `read` (pulumi refresh) against the Vertex fake. */
import { describe, expect, it } from "vitest";
import {
  ModelDeploymentProvider,
  type ModelDeploymentInputs,
} from "../../../../components/serving/modelDeployment";
import { FakeVertex, type FakeEndpointType } from "./fakeVertex";
import { ENDPOINT, VALID_INPUTS } from "./modelInputs";

function setup(type: FakeEndpointType, over: Partial<ModelDeploymentInputs> = {}) {
  const vertex = new FakeVertex([ENDPOINT], { [ENDPOINT]: type });
  const provider = new ModelDeploymentProvider(vertex.factory);
  const inputs: ModelDeploymentInputs = { ...VALID_INPUTS, operationTimeoutSeconds: 60, ...over };
  return { vertex, provider, inputs };
}

describe("serving address", () => {
  it("peering: reports the deployed model's private predict URI", async () => {
    const { provider, inputs } = setup("peering", { connectivity: "peering" });
    const { outs } = await provider.create(inputs);
    expect(outs.predictHttpUri).toBe(
      `http://123.aiplatform.googleapis.com/v1/models/${outs.deployedModelId}:predict`,
    );
    expect(outs.pscAddress).toBeUndefined();
  });

  it("psc: reports the PSC automation's forwarding rule address", async () => {
    const { vertex, provider, inputs } = setup("psc", { connectivity: "psc" });
    const { outs } = await provider.create(inputs);
    expect(outs.pscAddress).toBe(vertex.pscAddress(ENDPOINT));
    expect(outs.predictHttpUri).toBeUndefined();
  });

  it("psc: fails naming the fix when the endpoint is not a PSC endpoint (no automation address), and removes the model", async () => {
    const { vertex, provider, inputs } = setup("public", { connectivity: "psc", operationTimeoutSeconds: 1 });
    await expect(provider.create(inputs)).rejects.toThrow(/PSC automation gave .* no address within 1 s/);
    expect(vertex.models.size).toBe(0);
  });

  it("a peering endpoint takes one model: the API refuses a second and any split", async () => {
    const { vertex, inputs } = setup("peering");
    const api = vertex.factory("us-central1");
    const deploy = async (split: Record<string, number>) =>
      (
        await api.deployModel({ endpoint: ENDPOINT, deployedModel: { model: "m" }, trafficSplit: split })
      ).result();
    await deploy({ "0": 100 });
    await expect(deploy({ "0": 100 })).rejects.toMatchObject({ code: 9 });
    const other = new FakeVertex([ENDPOINT], { [ENDPOINT]: "peering" }).factory("us-central1");
    const split = (
      await other.deployModel({
        endpoint: ENDPOINT,
        deployedModel: { model: "m" },
        trafficSplit: { "0": 50, x: 50 },
      })
    ).result();
    await expect(split).rejects.toMatchObject({ code: 3 });
    expect(inputs.endpoint).toBe(ENDPOINT);
  });
});

describe("read (pulumi refresh)", () => {
  it("reads a deployment that is unchanged as it was", async () => {
    const { provider, inputs } = setup("psc", { connectivity: "psc" });
    const { id, outs } = await provider.create(inputs);
    expect(await provider.read(id, outs)).toEqual({ id, props: outs });
  });

  it("sees replicas changed outside Pulumi, so the next up sets them back", async () => {
    const { vertex, provider, inputs } = setup("psc", { connectivity: "psc" });
    const { id, outs } = await provider.create(inputs);
    vertex.rescaleOutside(ENDPOINT, outs.deployedModelId, 1, 3);
    const read = await provider.read(id, outs);
    expect(read.props).toMatchObject({ minReplicas: 1, maxReplicas: 3 });
    const diff = await provider.diff(id, read.props!, inputs);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
  });

  it("reads a model undeployed outside Pulumi as gone (blank id), so the next up deploys it again", async () => {
    const { vertex, provider, inputs } = setup("peering", { connectivity: "peering" });
    const { id, outs } = await provider.create(inputs);
    vertex.undeployOutside(ENDPOINT, outs.deployedModelId);
    expect(await provider.read(id, outs)).toEqual({ id: "" });
  });

  it("reads a deleted endpoint as gone", async () => {
    const { vertex, provider, inputs } = setup("public");
    const { id, outs } = await provider.create(inputs);
    vertex.undeployOutside(ENDPOINT, outs.deployedModelId);
    vertex.deleteEndpoint(ENDPOINT);
    expect(await provider.read(id, outs)).toEqual({ id: "" });
  });
});
