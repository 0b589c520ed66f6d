/**
 * A model change deploys the new model before it undeploys the old one, and Vertex charges
 * GPU quota per deployed model at maxReplicas x GPUs: the preview states what a change
 * needs, and `switchMaxReplicas` caps the new deployment while the old one is there.
 */
import { describe, expect, it } from "vitest";
import {
  ModelDeploymentProvider,
  type ModelDeploymentInputs,
} from "../../../../components/serving/modelDeployment";
import {
  gpuQuota,
  gpuQuotaStatement,
  validateInputs,
} from "../../../../components/serving/modelDeployment/spec";
import { FakeVertex } from "./fakeVertex";
import { ENDPOINT, VALID_INPUTS } from "./modelInputs";

const PREVIEW = "GPU quota: 8 NVIDIA_L4 in us-central1 (maxReplicas x GPUs); a model change deploys";

describe("the GPU quota of a model change", () => {
  it("is twice the deployment's without a cap, and what the cap leaves with one", () => {
    expect(gpuQuota(VALID_INPUTS)).toMatchObject({ steady: 8, switchMaxReplicas: 8, duringChange: 16 });
    expect(gpuQuotaStatement(gpuQuota(VALID_INPUTS))).toBe(
      `${PREVIEW} the new model before undeploying the old, and needs 16`,
    );
    const capped = { ...VALID_INPUTS, switchMaxReplicas: 3 };
    expect(gpuQuota(capped)).toMatchObject({ steady: 8, switchMaxReplicas: 3, duringChange: 11 });
    expect(gpuQuotaStatement(gpuQuota(capped))).toBe(
      `${PREVIEW} the new model before undeploying the old, and needs 11 (new deployment capped at 3 replicas until the next \`pulumi up\`)`,
    );
    // Old settings count at their own size: 2 GPUs x 4 replicas before, 1 x 3 after the cap.
    expect(gpuQuota(capped, { maxReplicas: 4, acceleratorCount: 2 }).duringChange).toBe(11);
  });

  it("refuses a cap outside minReplicas..maxReplicas", () => {
    expect(validateInputs({ ...VALID_INPUTS, switchMaxReplicas: 1 })).toEqual([
      {
        property: "switchMaxReplicas",
        reason: "switchMaxReplicas (1) must be within minReplicas..maxReplicas (2..8)",
      },
    ]);
    expect(validateInputs({ ...VALID_INPUTS, switchMaxReplicas: 9 })).toHaveLength(1);
    expect(validateInputs({ ...VALID_INPUTS, switchMaxReplicas: 2 })).toEqual([]);
  });
});

describe("a model change with switchMaxReplicas", () => {
  const before: ModelDeploymentInputs = { ...VALID_INPUTS, switchMaxReplicas: 3 };
  const after: ModelDeploymentInputs = { ...before, artifactUri: "gs://acme-models/fraud/v8" };
  const deployedMax = (vertex: FakeVertex) =>
    vertex.calls
      .filter((c) => c.method === "deployModel")
      .map(
        (c) =>
          (c.request as { deployedModel: { dedicatedResources: { maxReplicaCount: number } } }).deployedModel
            .dedicatedResources.maxReplicaCount,
      );

  it("deploys a first model at maxReplicas, a second beside it at the cap, then raises it once alone", async () => {
    const vertex = new FakeVertex([ENDPOINT], { [ENDPOINT]: "psc" });
    const provider = new ModelDeploymentProvider(vertex.factory);
    const old = (await provider.create(before)).outs;
    expect(old.maxReplicas).toBe(8);

    // pulumi up: create the replacement beside the old model, then delete the old one.
    const created = (await provider.create(after)).outs;
    expect(deployedMax(vertex)).toEqual([8, 3]);
    expect(created.maxReplicas).toBe(3); // recorded as deployed
    await provider.delete("id", old);

    // The next pulumi up sees 3 -> 8 and raises it in place, without a new deployment.
    const diff = await provider.diff("id", created, after);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    await provider.update("id", created, after);
    const mutate = vertex.calls.filter((c) => c.method === "mutateDeployedModel");
    expect(mutate).toHaveLength(1);
    expect(
      (mutate[0]?.request as { deployedModel: { dedicatedResources: { maxReplicaCount: number } } })
        .deployedModel.dedicatedResources.maxReplicaCount,
    ).toBe(8);
  });

  it("reads nothing extra and caps nothing without the option", async () => {
    const vertex = new FakeVertex([ENDPOINT], { [ENDPOINT]: "psc" });
    const provider = new ModelDeploymentProvider(vertex.factory);
    await provider.create(VALID_INPUTS);
    await provider.create({ ...VALID_INPUTS, artifactUri: "gs://acme-models/fraud/v8" });
    expect(deployedMax(vertex)).toEqual([8, 8]);
  });
});
