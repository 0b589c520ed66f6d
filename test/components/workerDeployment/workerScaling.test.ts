/** The worker pool's scaling as registered, per mode: what `pulumi up` would create. */
import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, settle, type Recorder, type RecordedResource } from "../../../tools/plan/mocks";
import { InferenceWorker, type InferenceWorkerArgs } from "../../../components/workerDeployment";
import { countToSend, poolAbsent } from "../../../components/workerDeployment/liveInstanceCount";
import { checkCremaConfig, triggerSubscriptionIds } from "../../../components/workerDeployment/cremaConfig";

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
  // CREMA has scaled two existing pools since the last deploy: to 7 and to 40 (above today's max).
  recorder = await installMocks({
    gcpProject: "acme-ml-test",
    stack: "test",
    liveWorkerPools: { "si-test-worker-us-west2": 7, "si-test-worker-asia-east1": 40 },
  });
  new InferenceWorker("backlog", args("us-central1", { mode: "backlog", minInstances: 2, maxInstances: 9 }));
  new InferenceWorker("scaled", args("us-west2", { mode: "backlog", minInstances: 2, maxInstances: 9 }));
  new InferenceWorker("shrunk", args("asia-east1", { mode: "backlog", minInstances: 2, maxInstances: 9 }));
  new InferenceWorker("manual", args("europe-west1", { mode: "manual", instances: 2 }));
  await settle();
});

const children = (prefix: string) => recorder.resources.filter((r) => r.name.startsWith(prefix));
const pool = (prefix: string): RecordedResource => recorder.get(POOL, `${prefix}-pool`);

describe("a pool scaled on its backlog (CREMA)", () => {
  it("sends only the GA manual count: a new pool starts at the minimum", () => {
    expect(pool("backlog").inputs.scaling).toEqual({ manualInstanceCount: 2 });
  });

  it("sends back the live count CREMA set on a deploy, never the stale one (the update is a whole-object PATCH)", () => {
    expect(pool("scaled").inputs.scaling).toEqual({ manualInstanceCount: 7 });
    // A live count above the configured maximum is brought within it.
    expect(pool("shrunk").inputs.scaling).toEqual({ manualInstanceCount: 9 });
    // ignoreChanges would make Pulumi send its state's count instead of the live one.
    expect(pool("scaled").ignoreChanges ?? []).toEqual([]);
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
    const config = checkCremaConfig(JSON.parse(String(version.inputs.parameterData)));
    const so = config.spec.scaledObjects[0]?.spec;
    expect(so?.scaleTargetRef.name).toBe(
      "projects/acme-ml-test/locations/us-central1/workerPools/si-test-worker-us-central1",
    );
    expect(triggerSubscriptionIds(config)).toEqual([
      ["si-test-events-us-central1", "si-test-events-us-central1"],
    ]);
    expect([so?.minReplicaCount, so?.maxReplicaCount]).toEqual([2, 9]);
  });

  it("grants the autoscaler this pool, the worker's account, Monitoring read and config read, before it starts", () => {
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
    // Project-level and unconditioned, as CREMA's README grants it (no per-parameter IAM exists).
    const config = grants.find((g) => g.inputs.role === "roles/parametermanager.parameterViewer");
    expect(config?.inputs).toMatchObject({ project: "acme-ml-test" });
    expect(config?.inputs.condition).toBeUndefined();
    // Every grant, and the config version, exist before CREMA's first revision.
    const service = recorder.get(SERVICE, "backlog-autoscaler-service");
    for (const g of [
      ...grants,
      recorder.get(
        "gcp:parametermanager/parameterVersion:ParameterVersion",
        "backlog-autoscaler-config-version",
      ),
    ]) {
      expect(service.dependencies).toContain(g.urn);
    }
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

describe("the count a deploy sends", () => {
  it("is the live count within the scaler's bounds, or the floor for a new pool", () => {
    expect(countToSend(undefined, { min: 2, max: 9 })).toBe(2);
    expect(countToSend(5, { min: 2, max: 9 })).toBe(5);
    expect(countToSend(0, { min: 1, max: 9 })).toBe(1);
    expect(countToSend(12, { min: 1, max: 9 })).toBe(9);
  });
});

describe("reading the live count", () => {
  it("treats a missing pool and a not-yet-enabled Cloud Run API as no pool; anything else fails the deploy", () => {
    expect(poolAbsent(new Error("projects/p/locations/us-central1/workerPools/w not found"))).toBe(true);
    const disabled =
      "Error when reading or editing WorkerPool: googleapi: Error 403: Cloud Run Admin API has not been used in " +
      "project 123 before or it is disabled. Enable it by visiting ... Details: reason: SERVICE_DISABLED";
    expect(poolAbsent(new Error(disabled))).toBe(true);
    expect(poolAbsent(new Error("googleapi: Error 403: Permission 'run.workerpools.get' denied"))).toBe(
      false,
    );
    expect(poolAbsent(new Error("googleapi: Error 503: The service is currently unavailable"))).toBe(false);
  });
});
