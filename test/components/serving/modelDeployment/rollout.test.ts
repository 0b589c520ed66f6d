/**
 * A model change (`model.artifactUri`) rendered offline for each endpoint type, then
 * replayed against the Vertex fake in the order `pulumi up` runs it (replacements are
 * created before the old resource is deleted, deletes come last). The fake refuses what
 * the API refuses (a second model or a traffic split on a peering endpoint), so the
 * replay passes only if the roll-out keeps a model serving at the worker's address
 * throughout and never breaks the endpoint type's rules.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { stackFile } from "../../../helpers/stackConfig";
import { renderVariant, type Rendered } from "../../../helpers/renderVariants";
import {
  ModelDeploymentProvider,
  type ModelDeploymentInputs,
  type ModelDeploymentOutputs,
} from "../../../../components/serving/modelDeployment";
import { FakeVertex, type FakeEndpointType } from "./fakeVertex";

const DEPLOYMENT = "pulumi-nodejs:dynamic/vertex:ModelDeployment";
const POOL = "gcp:cloudrunv2/workerPool:WorkerPool";

type Connectivity = "psc" | "peering";

function modelWith(artifactUri: string): Record<string, unknown> {
  const model = stackFile("staging")["streaming-inference:model"] as Record<string, unknown>;
  return { ...model, artifactUri };
}

async function renderModel(connectivity: Connectivity, artifactUri: string, tag: string): Promise<Rendered> {
  const endpoint = stackFile("staging")["streaming-inference:endpoint"] as Record<string, unknown>;
  return renderVariant("staging", `rollout-${connectivity}-${tag}`, {
    endpoint: { ...endpoint, connectivity },
    model: modelWith(artifactUri),
  });
}

/** The active region's deployment inputs, as the provider would receive them. */
function activeDeployment(rendered: Rendered): ModelDeploymentInputs {
  const pool = rendered.resources.find((r) => r.type === POOL);
  const region = pool?.inputs.location as string;
  const found = rendered.resources.find(
    (r) => r.type === DEPLOYMENT && (r.inputs.location as string) === region,
  );
  if (!found) throw new Error(`no model deployment in ${region}`);
  const { __provider: _p, model: _m, modelVersionId: _v, deployedModelId: _d, ...inputs } = found.inputs;
  return { operationTimeoutSeconds: 3600, ...(inputs as unknown as ModelDeploymentInputs) };
}

/** The fake's view: does `endpoint` have a model that takes traffic? */
function serves(vertex: FakeVertex, endpoint: string): boolean {
  return vertex.serving(endpoint).length > 0;
}

/**
 * Replays `pulumi up` from `before` to `after`: (new endpoint if its id changed), create
 * the new deployment, switch the worker, delete the old deployment, (delete the old endpoint).
 * Returns the endpoint the worker ends on, asserting it always had a serving model.
 */
async function replay(
  type: FakeEndpointType,
  before: ModelDeploymentInputs,
  after: ModelDeploymentInputs,
): Promise<{ vertex: FakeVertex; workerOn: string; outs: ModelDeploymentOutputs }> {
  const vertex = new FakeVertex([before.endpoint], { [before.endpoint]: type });
  const provider = new ModelDeploymentProvider(vertex.factory);
  const old = (await provider.create(before)).outs;
  let workerOn = old.endpoint;
  expect(serves(vertex, workerOn)).toBe(true);

  const { failures } = await provider.check(before, after);
  expect(failures).toEqual([]);
  const { replaces } = await provider.diff("id", old, after);
  expect(replaces).toContain("artifactUri");

  const newEndpoint = after.endpoint !== before.endpoint;
  if (newEndpoint) vertex.addEndpoint(after.endpoint, type);
  const created = (await provider.create(after)).outs;
  expect(serves(vertex, workerOn)).toBe(true); // the worker has not moved yet
  workerOn = created.endpoint; // the worker pool's env is updated to the new address
  expect(serves(vertex, workerOn)).toBe(true);
  await provider.delete("old", old);
  if (newEndpoint) vertex.deleteEndpoint(before.endpoint);
  expect(serves(vertex, workerOn)).toBe(true);
  return { vertex, workerOn, outs: created };
}

describe("a model roll-out, rendered and replayed against the Vertex fake", () => {
  const renders: Partial<Record<Connectivity, { before: Rendered; after: Rendered }>> = {};

  beforeAll(async () => {
    for (const connectivity of ["psc", "peering"] as const) {
      const [before, after] = await Promise.all([
        renderModel(connectivity, "gs://acme-ml-staging-models/fraud-scorer/v7", "v7"),
        renderModel(connectivity, "gs://acme-ml-staging-models/fraud-scorer/v8", "v8"),
      ]);
      renders[connectivity] = { before, after };
    }
  }, 600_000);

  it("psc: deploys the new model beside the old on the same endpoint, shifts traffic, undeploys the old", async () => {
    const before = activeDeployment(renders.psc!.before);
    const after = activeDeployment(renders.psc!.after);
    expect(after.endpoint).toBe(before.endpoint);
    expect(after.connectivity).toBe("psc");
    const { vertex, workerOn, outs } = await replay("psc", before, after);
    expect(vertex.deployed.get(workerOn)?.size).toBe(1);
    expect(outs.pscAddress).toBe(vertex.pscAddress(workerOn));
  });

  it("peering: a new endpoint per model; the worker switches to it before the old one goes", async () => {
    const before = activeDeployment(renders.peering!.before);
    const after = activeDeployment(renders.peering!.after);
    expect(after.endpoint).not.toBe(before.endpoint);
    expect(after.connectivity).toBe("peering");
    const { vertex, workerOn, outs } = await replay("peering", before, after);
    expect(workerOn).toBe(after.endpoint);
    expect([...vertex.deployed.keys()]).toEqual([after.endpoint]);
    expect(outs.predictHttpUri).toMatch(
      new RegExp(
        `^http://${after.endpoint.split("/").pop()}\\.aiplatform\\.googleapis\\.com/v1/models/d\\d+:predict$`,
      ),
    );
  });

  it("peering: the same change on the same endpoint is refused at preview, and by the API", async () => {
    const before = activeDeployment(renders.peering!.before);
    const after = { ...activeDeployment(renders.peering!.after), endpoint: before.endpoint };
    const vertex = new FakeVertex([before.endpoint], { [before.endpoint]: "peering" });
    const provider = new ModelDeploymentProvider(vertex.factory);
    await provider.create(before);
    const { failures } = await provider.check(before, after);
    expect(failures).toEqual([
      {
        property: "endpoint",
        reason: expect.stringContaining(
          "is a VPC-peering endpoint, which holds one model and splits no traffic: deploy the new model to a new endpoint",
        ),
      },
    ]);
    // Had it gone ahead, the API refuses the second model, and the old one keeps serving.
    await expect(provider.create(after)).rejects.toThrow(/a private endpoint supports only one model/);
    expect(serves(vertex, before.endpoint)).toBe(true);
  });
});
