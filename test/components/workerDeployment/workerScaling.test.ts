/** The worker pool's scaling as registered, per mode: what `pulumi up` would create. */
import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, settle, type Recorder, type RecordedResource } from "../../../tools/plan/mocks";
import { InferenceWorker, type InferenceWorkerArgs } from "../../../components/workerDeployment";
import { checkCremaConfig } from "../../../components/workerDeployment/cremaConfig";

const POOL = "gcp:cloudrunv2/workerPool:WorkerPool";
const SERVICE = "gcp:cloudrunv2/service:Service";
let recorder: Recorder;

function args(region: string, scaling: InferenceWorkerArgs["scaling"]): InferenceWorkerArgs {
  return {
    prefix: "si-test",
    settings: {
      projectId: "acme-ml-test",
      region,
      subscription: `si-test-events-${region}`,
      predictionsTopic: "si-test-predictions",
      deadLetterTopic: "si-test-events-dlq",
      bigtableInstance: "si-test-features",
      bigtableTable: "features",
      bigtableAppProfile: "worker",
      vertexEndpointId: "1234567890",
      vertexLocation: region,
      modelId: "scorer",
      maxBatchSize: 50,
      maxBatchDelayMs: 1000,
      maxInFlight: 4,
      predictTimeoutMs: 10000,
      featureCacheTtlMs: 0,
    },
    image: "us-docker.pkg.dev/acme/worker@sha256:0",
    subnetwork: `projects/acme-ml-test/regions/${region}/subnetworks/si-test-${region}`,
    kmsKeyName: `projects/acme-ml-test/locations/${region}/keyRings/r/cryptoKeys/run`,
    scaling,
  };
}

beforeAll(async () => {
  recorder = await installMocks({ gcpProject: "acme-ml-test", stack: "test" });
  new InferenceWorker("backlog", args("us-central1", { mode: "backlog", minInstances: 2, maxInstances: 9 }));
  new InferenceWorker("manual", args("europe-west1", { mode: "manual", instances: 2 }));
  await settle();
});

const children = (prefix: string) => recorder.resources.filter((r) => r.name.startsWith(prefix));
const pool = (prefix: string): RecordedResource => recorder.get(POOL, `${prefix}-pool`);

describe("a pool scaled on its backlog (CREMA)", () => {
  it("sends only the GA manual count, and leaves the instance count to the autoscaler", () => {
    expect(pool("backlog").inputs.scaling).toEqual({ manualInstanceCount: 2 });
    expect(pool("backlog").ignoreChanges).toEqual(["scaling.manualInstanceCount"]);
  });

  it("deploys CREMA beside it, reading a config that targets this pool and this region's subscription", () => {
    const service = recorder.get(SERVICE, "backlog-autoscaler-service");
    expect(service.inputs).toMatchObject({
      location: "us-central1",
      ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY",
    });
    expect(service.inputs.scaling).toEqual({ scalingMode: "MANUAL", manualInstanceCount: 1 });
    const version = recorder.get(
      "gcp:parametermanager/parameterVersion:ParameterVersion",
      "backlog-autoscaler-config-version",
    );
    const env = (service.inputs.template as { containers: { envs: { name: string; value: string }[] }[] })
      .containers[0]?.envs;
    const configVersion = env?.find((e) => e.name === "CREMA_CONFIG")?.value;
    expect(configVersion).toBe(
      `projects/acme-ml-test/locations/global/parameters/si-test-crema-us-central1/versions/${String(version.inputs.parameterVersionId)}`,
    );
    expect(version.inputs.parameterVersionId).toMatch(/^v-[0-9a-f]{8}$/);
    const so = checkCremaConfig(JSON.parse(String(version.inputs.parameterData))).spec.scaledObjects[0]?.spec;
    expect(so?.scaleTargetRef.name).toBe(
      "projects/acme-ml-test/locations/us-central1/workerPools/si-test-worker-us-central1",
    );
    expect(so?.triggers[0]?.metadata.subscriptionName).toBe(
      "projects/acme-ml-test/subscriptions/si-test-events-us-central1",
    );
    expect([so?.minReplicaCount, so?.maxReplicaCount]).toEqual([2, 9]);
  });

  it("grants the autoscaler only this pool, the worker's account, Monitoring read and its own parameter", () => {
    const grants = children("backlog-autoscaler").filter((r) => /IAMMember|IamMember/.test(r.type));
    const summary = grants.map((g) => [g.type.split(":").pop(), g.inputs.role]).sort();
    expect(summary).toEqual([
      ["IAMMember", "roles/iam.serviceAccountUser"],
      ["IAMMember", "roles/monitoring.viewer"],
      ["IAMMember", "roles/parametermanager.parameterViewer"],
      ["WorkerPoolIamMember", "roles/run.developer"],
    ]);
    const onPool = grants.find((g) => g.inputs.role === "roles/run.developer");
    expect(onPool?.inputs).toMatchObject({ location: "us-central1", name: "si-test-worker-us-central1" });
    const actAs = grants.find((g) => g.inputs.role === "roles/iam.serviceAccountUser");
    expect(actAs?.inputs.serviceAccountId).toBe(
      "projects/acme-ml-test/serviceAccounts/si-test-wk-usc1@acme-ml-test.iam.gserviceaccount.com",
    );
    const config = grants.find((g) => g.inputs.role === "roles/parametermanager.parameterViewer");
    expect((config?.inputs.condition as { expression: string }).expression).toContain(
      '"/parameters/si-test-crema-us-central1"',
    );
  });
});

describe("a pool at a manual count", () => {
  it("runs exactly that count, sending only the GA manual count", () => {
    expect(pool("manual").inputs.scaling).toEqual({ manualInstanceCount: 2 });
    expect(children("manual-autoscaler")).toEqual([]);
  });

  it("rejects scaling settings that do not validate", () => {
    expect(
      () =>
        new InferenceWorker("bad", args("us-west1", { mode: "backlog", minInstances: 5, maxInstances: 2 })),
    ).toThrow();
  });

  it("refuses CPU scaling (pre-GA for worker pools), naming what to use", () => {
    const cpu = {
      mode: "cpu",
      minInstances: 1,
      maxInstances: 3,
    } as unknown as InferenceWorkerArgs["scaling"];
    expect(() => new InferenceWorker("cpu", args("us-east1", cpu))).toThrow(/use mode: backlog/);
    expect(children("cpu-")).toEqual([]);
  });
});
