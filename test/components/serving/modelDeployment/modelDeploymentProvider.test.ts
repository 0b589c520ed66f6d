import { afterEach, describe, expect, it, vi } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import {
  DUTY_CYCLE_METRIC,
  ModelDeploymentProvider,
  type ModelDeploymentInputs,
  type ModelDeploymentOutputs,
} from "../../../../components/serving/modelDeployment";
import { FakeVertex } from "./fakeVertex";
import { ENDPOINT, VALID_INPUTS } from "./modelInputs";

function inputs(over: Partial<ModelDeploymentInputs> = {}): ModelDeploymentInputs {
  return { ...VALID_INPUTS, labels: { env: "prod" }, operationTimeoutSeconds: 3600, ...over };
}

function setup() {
  const vertex = new FakeVertex([ENDPOINT]);
  return { vertex, provider: new ModelDeploymentProvider(vertex.factory) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("check", () => {
  it("accepts valid inputs and fills in the operation timeout", async () => {
    const { provider } = setup();
    const { operationTimeoutSeconds: _drop, ...rest } = inputs();
    const result = await provider.check(rest, rest);
    expect(result.failures).toEqual([]);
    expect(result.inputs.operationTimeoutSeconds).toBe(3600);
  });

  it("names each bad property and the fix", async () => {
    const { provider } = setup();
    const bad = inputs({
      minReplicas: 9,
      endpoint: "projects/acme/locations/us-east1/endpoints/1",
      artifactUri: "s3://x",
      dutyCycleTarget: 0,
      machineType: "",
    });
    const { failures } = await provider.check(bad, bad);
    expect(failures).toEqual(
      expect.arrayContaining([
        { property: "minReplicas", reason: "minReplicas (9) must not exceed maxReplicas (8)" },
        {
          property: "endpoint",
          reason:
            "endpoint is in us-east1 but location is us-central1; a model deploys in its endpoint's region",
        },
        { property: "artifactUri", reason: 'artifactUri must be a gs:// URI, got "s3://x"' },
        {
          property: "dutyCycleTarget",
          reason: "dutyCycleTarget must be an integer percentage in 1..100, got 0",
        },
        { property: "machineType", reason: "machineType is required and must be a non-empty string" },
      ]),
    );
    expect(failures).toHaveLength(5);
  });

  it("leaves inputs unknown during a preview (an endpoint not yet created) to deployment time", async () => {
    const { provider } = setup();
    const preview = inputs({
      endpoint: pulumi.runtime.unknownValue,
      kmsKeyName: pulumi.runtime.unknownValue,
    });
    expect((await provider.check(preview, preview)).failures).toEqual([]);
  });
});

describe("diff", () => {
  const olds: ModelDeploymentOutputs = { ...inputs(), model: "m", modelVersionId: "1", deployedModelId: "d" };

  it("reports no change for the same inputs", async () => {
    expect(await setup().provider.diff("id", olds, inputs())).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("updates replicas, autoscaling and labels in place", async () => {
    const news = inputs({ minReplicas: 3, maxReplicas: 10, dutyCycleTarget: 70, labels: { env: "x" } });
    expect(await setup().provider.diff("id", olds, news)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("replaces, creating first, when the model, container or machine changes", async () => {
    const news = inputs({ artifactUri: "gs://acme-models/fraud/v8", acceleratorCount: 2, port: 9000 });
    expect(await setup().provider.diff("id", olds, news)).toEqual({
      changes: true,
      replaces: ["artifactUri", "port", "acceleratorCount"],
      deleteBeforeReplace: false,
    });
  });
});

describe("create", () => {
  it("uploads the model with CMEK, deploys it on GPUs with autoscaling and all the traffic", async () => {
    const { vertex, provider } = setup();
    const { id, outs } = await provider.create(inputs());

    const upload = vertex.calls.find((c) => c.method === "uploadModel")?.request;
    expect(upload).toMatchObject({
      parent: "projects/acme/locations/us-central1",
      model: {
        artifactUri: "gs://acme-models/fraud/v7",
        containerSpec: {
          imageUri: "us-docker.pkg.dev/acme/serving/fraud:v7",
          predictRoute: "/predict",
          healthRoute: "/health",
          ports: [{ containerPort: 8080 }],
        },
        encryptionSpec: { kmsKeyName: inputs().kmsKeyName },
      },
    });
    const deploy = vertex.calls.find((c) => c.method === "deployModel")?.request;
    expect(deploy).toMatchObject({
      endpoint: ENDPOINT,
      deployedModel: {
        model: outs.model,
        dedicatedResources: {
          machineSpec: { machineType: "g2-standard-8", acceleratorType: "NVIDIA_L4", acceleratorCount: 1 },
          minReplicaCount: 2,
          maxReplicaCount: 8,
          autoscalingMetricSpecs: [{ metricName: DUTY_CYCLE_METRIC, target: 60 }],
        },
      },
      trafficSplit: { "0": 100 },
    });
    expect(id).toBe(`${ENDPOINT}/deployedModels/${outs.deployedModelId}`);
    expect(vertex.serving(ENDPOINT)).toEqual([outs.deployedModelId]);
    expect(vertex.closed).toBe(vertex.opened);
  });

  it("surfaces a failed deployment with the operation name, and removes the uploaded model", async () => {
    const { vertex, provider } = setup();
    vertex.script.deployModel = { fail: { code: 8, message: "Quota exceeded for NVIDIA_L4 in us-central1" } };
    const err = await provider.create(inputs()).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /^Vertex AI DeployModel of projects\/p\/locations\/us-central1\/models\/m\d+ to .*endpoints\/123 on g2-standard-8 with 1x NVIDIA_L4 failed \(operation .*operations\/deployModel-\d+\): Quota exceeded for NVIDIA_L4 in us-central1$/,
    );
    expect(vertex.models.size).toBe(0);
    expect(vertex.calls.map((c) => c.method)).toEqual(["uploadModel", "deployModel", "deleteModel"]);
    expect(vertex.closed).toBe(vertex.opened);
  });

  it("gives up on an operation that does not finish in time, naming it", async () => {
    vi.useFakeTimers();
    const { vertex, provider } = setup();
    vertex.script.deployModel = "hang";
    const pending = provider.create(inputs({ operationTimeoutSeconds: 1800 })).catch((e: Error) => e);
    await vi.advanceTimersByTimeAsync(1800 * 1000);
    const err = (await pending) as Error;
    expect(err.message).toContain(
      "did not finish within 1800 s; operation projects/p/locations/us-central1/operations/deployModel-",
    );
    expect(err.message).toContain("gcloud ai operations describe");
    expect(vertex.models.size).toBe(0);
  });
});

describe("update", () => {
  it("changes replicas and autoscaling with MutateDeployedModel, without redeploying", async () => {
    const { vertex, provider } = setup();
    const { outs } = await provider.create(inputs());
    vertex.calls.length = 0;
    const { outs: updated } = await provider.update("id", outs, inputs({ minReplicas: 4, maxReplicas: 12 }));
    expect(vertex.calls.map((c) => c.method)).toEqual(["mutateDeployedModel"]);
    expect(vertex.calls[0]?.request).toMatchObject({
      endpoint: ENDPOINT,
      deployedModel: {
        id: outs.deployedModelId,
        dedicatedResources: { minReplicaCount: 4, maxReplicaCount: 12 },
      },
      updateMask: {
        paths: [
          "dedicated_resources.min_replica_count",
          "dedicated_resources.max_replica_count",
          "dedicated_resources.autoscaling_metric_specs",
        ],
      },
    });
    expect(updated).toMatchObject({
      deployedModelId: outs.deployedModelId,
      model: outs.model,
      minReplicas: 4,
    });
  });

  it("changes labels with UpdateModel only", async () => {
    const { vertex, provider } = setup();
    const { outs } = await provider.create(inputs());
    vertex.calls.length = 0;
    await provider.update("id", outs, inputs({ labels: { env: "prod", team: "ml" } }));
    expect(vertex.calls.map((c) => c.method)).toEqual(["updateModelLabels"]);
    expect(vertex.models.get(outs.model)?.labels).toEqual({ env: "prod", team: "ml" });
  });

  it("surfaces a failed mutation", async () => {
    const { vertex, provider } = setup();
    const { outs } = await provider.create(inputs());
    vertex.script.mutateDeployedModel = { fail: { code: 3, message: "max_replica_count exceeds quota" } };
    await expect(provider.update("id", outs, inputs({ maxReplicas: 99 }))).rejects.toThrow(
      /MutateDeployedModel of d\d+ .*\(replicas 2-99, duty cycle target 60%\) failed .*: max_replica_count exceeds quota$/,
    );
  });
});

describe("delete and replacement", () => {
  it("undeploys and deletes the model", async () => {
    const { vertex, provider } = setup();
    const { outs } = await provider.create(inputs());
    await provider.delete("id", outs);
    expect(vertex.deployed.get(ENDPOINT)?.size).toBe(0);
    expect(vertex.models.size).toBe(0);
  });

  it("treats a model already gone as deleted", async () => {
    const { vertex, provider } = setup();
    const { outs } = await provider.create(inputs());
    await provider.delete("id", outs);
    await expect(provider.delete("id", outs)).resolves.toBeUndefined();
    expect(vertex.calls.filter((c) => c.method === "undeployModel")).toHaveLength(2);
  });

  it("never leaves the endpoint without a serving model across a replacement", async () => {
    const { vertex, provider } = setup();
    const old = (await provider.create(inputs())).outs;
    // The engine's order for deleteBeforeReplace=false: create the new one, then delete the old.
    const diff = await provider.diff("id", old, inputs({ artifactUri: "gs://acme-models/fraud/v8" }));
    expect(diff.replaces).toEqual(["artifactUri"]);
    const replacement = (await provider.create(inputs({ artifactUri: "gs://acme-models/fraud/v8" }))).outs;
    expect(vertex.serving(ENDPOINT)).toEqual([replacement.deployedModelId]);
    await provider.delete("id", old);
    expect(vertex.serving(ENDPOINT)).toEqual([replacement.deployedModelId]);
    expect([...(vertex.deployed.get(ENDPOINT)?.keys() ?? [])]).toEqual([replacement.deployedModelId]);
    expect(vertex.models.has(old.model)).toBe(false);
  });

  it("hands a removed model's traffic share to the models that stay", async () => {
    const { vertex, provider } = setup();
    const a = (await provider.create(inputs())).outs;
    const b = (await provider.create(inputs())).outs;
    vertex.splits.set(ENDPOINT, { [a.deployedModelId]: 30, [b.deployedModelId]: 70 });
    await provider.delete("id", b);
    const undeploy = vertex.calls.filter((c) => c.method === "undeployModel").at(-1)?.request;
    expect(undeploy).toMatchObject({ trafficSplit: { [a.deployedModelId]: 100 } });
  });
});
