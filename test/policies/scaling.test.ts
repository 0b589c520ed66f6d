import { describe, expect, it } from "vitest";
import { runPolicies } from "../../policies/src";
import {
  COMPLIANT_STACK,
  autoscalerConfigGrant,
  autoscalerPoolGrant,
  cremaConfigVersion,
  standbySubscription,
  subscription,
  workerPool,
} from "./fixtures/compliantResources";
import { messagesOf, renamed, resourceViolations, withInput } from "./harness";

const AUTOSCALER = "serviceAccount:si-prod-as-usc1@acme-ml-prod.iam.gserviceaccount.com";

describe("worker-pool-instance-cap", () => {
  const POOL = 'Cloud Run worker pool "worker-us-central1"';
  const CONFIG = 'Parameter version "autoscaler-config-version"';
  const TARGET = "projects/acme-ml-prod/locations/us-central1/workerPools/si-prod-worker-us-central1";
  const withMax = (max: unknown) => {
    const config = JSON.parse(String(cremaConfigVersion.inputs.parameterData)) as {
      spec: { scaledObjects: { spec: Record<string, unknown> }[] };
    };
    const spec = config.spec.scaledObjects[0]?.spec ?? {};
    if (max === undefined) delete spec.maxReplicaCount;
    else spec.maxReplicaCount = max;
    return withInput(cremaConfigVersion, "parameterData", JSON.stringify(config));
  };

  it("passes a pool sending only a manual count, and a CREMA config with a cap", async () => {
    expect(await messagesOf("worker-pool-instance-cap", [workerPool, cremaConfigVersion])).toEqual([]);
  });

  it("flags the pre-GA CPU autoscaling fields, and nothing else", async () => {
    const broken = withInput(workerPool, "scaling", {
      scalingMode: "AUTOMATIC",
      minInstanceCount: 1,
      maxInstanceCount: 3,
      manualInstanceCount: 1,
    });
    expect((await resourceViolations(broken)).map((v) => [v.policy, v.message])).toEqual([
      [
        "worker-pool-instance-cap",
        `${POOL} sends scaling.scalingMode, scaling.minInstanceCount, scaling.maxInstanceCount, which the Cloud Run v2 API does not have (WorkerPoolScaling has only manualInstanceCount; CPU autoscaling of worker pools is pre-GA): send only scaling.manualInstanceCount and let CREMA scale it (worker.scaling.mode: backlog).`,
      ],
    ]);
  });

  it("flags a pool with no instance count", async () => {
    expect(await messagesOf("worker-pool-instance-cap", withInput(workerPool, "scaling", undefined))).toEqual(
      [
        `${POOL} sets no instance count: set scaling.manualInstanceCount (worker.scaling in the stack config).`,
      ],
    );
  });

  it("flags a manual count above the ceiling (configurable)", async () => {
    const high = withInput(workerPool, "scaling.manualInstanceCount", 500);
    expect(await messagesOf("worker-pool-instance-cap", high)).toEqual([
      `${POOL} runs 500 instances, above the cap of 100: lower scaling.manualInstanceCount (or raise maxInstanceCap).`,
    ]);
    expect(
      await messagesOf("worker-pool-instance-cap", high, {
        "worker-pool-instance-cap": { maxInstanceCap: 500 },
      }),
    ).toEqual([]);
  });

  it("checks the cap where CREMA enforces it: maxReplicaCount written, within the ceiling", async () => {
    expect(await messagesOf("worker-pool-instance-cap", withMax(undefined))).toEqual([
      `${CONFIG} scales ${TARGET} with no maxReplicaCount, so CREMA allows 100 instances: set maxReplicaCount (worker.scaling.maxInstances in the stack config).`,
    ]);
    expect(await messagesOf("worker-pool-instance-cap", withMax(101))).toEqual([
      `${CONFIG} lets CREMA grow ${TARGET} to 101 instances, above the cap of 100: lower maxReplicaCount (worker.scaling.maxInstances) or raise maxInstanceCap.`,
    ]);
    expect(
      await messagesOf("worker-pool-instance-cap", withMax(101), {
        "worker-pool-instance-cap": { maxInstanceCap: 200 },
      }),
    ).toEqual([]);
  });
});

describe("autoscaler-grants-per-resource", () => {
  it("passes a grant on the pool and a project-level config grant", async () => {
    expect(
      await messagesOf("autoscaler-grants-per-resource", [autoscalerPoolGrant, autoscalerConfigGrant]),
    ).toEqual([]);
  });

  it.each(["roles/run.developer", "roles/run.admin"])("flags %s on the whole project", async (role) => {
    const broken = renamed(withInput(autoscalerConfigGrant, "role", role), "crema-run");
    expect(await messagesOf("autoscaler-grants-per-resource", broken)).toEqual([
      `IAM grant "crema-run" gives ${role} on all of project acme-ml-prod to ${AUTOSCALER}: grant it with gcp.cloudrunv2.WorkerPoolIamMember on the pool it scales instead.`,
    ]);
  });

  it("flags acting as every service account", async () => {
    const actAs = withInput(autoscalerConfigGrant, "role", "roles/iam.serviceAccountUser");
    expect(await messagesOf("autoscaler-grants-per-resource", actAs)).toEqual([
      `IAM grant "autoscaler-config-viewer" gives roles/iam.serviceAccountUser on all of project acme-ml-prod to ${AUTOSCALER}: grant it with gcp.serviceaccount.IAMMember on the pool's service account instead.`,
    ]);
  });

  it("flags a config grant conditioned on resource attributes Parameter Manager is not documented to have", async () => {
    const conditioned = withInput(autoscalerConfigGrant, "condition", {
      title: "only its parameter",
      expression: 'resource.name.endsWith("/parameters/si-prod-crema-us-central1")',
    });
    expect(await messagesOf("autoscaler-grants-per-resource", conditioned)).toEqual([
      `IAM grant "autoscaler-config-viewer" gives roles/parametermanager.parameterViewer to ${AUTOSCALER} under a condition on resource attributes, which IAM does not document for Parameter Manager: the grant may never apply. Remove the condition (as CREMA's README grants it).`,
    ]);
    // A condition on time, say, is not about resource attributes.
    const timed = withInput(autoscalerConfigGrant, "condition", {
      title: "until",
      expression: 'request.time < timestamp("2030-01-01T00:00:00Z")',
    });
    expect(await messagesOf("autoscaler-grants-per-resource", timed)).toEqual([]);
  });
});

describe("backlog-autoscaler-input-subscription", () => {
  const stack = [workerPool, subscription, standbySubscription];
  const withSubscription = (name: string) =>
    withInput(
      cremaConfigVersion,
      "parameterData",
      String(cremaConfigVersion.inputs.parameterData).replace("si-prod-events-us-central1", name),
    );

  it("keeps the compliant stack compliant with an autoscaler added", async () => {
    expect(await runPolicies([...COMPLIANT_STACK, cremaConfigVersion])).toEqual([]);
  });

  it("passes an autoscaler on the subscription its pool consumes", async () => {
    expect(await messagesOf("backlog-autoscaler-input-subscription", [...stack, cremaConfigVersion])).toEqual(
      [],
    );
  });

  it("flags an autoscaler on the standby region's subscription", async () => {
    expect(
      await messagesOf("backlog-autoscaler-input-subscription", [
        ...stack,
        withSubscription("si-prod-events-us-east1"),
      ]),
    ).toEqual([
      'Parameter version "autoscaler-config-version" scales projects/acme-ml-prod/locations/us-central1/workerPools/si-prod-worker-us-central1 on si-prod-events-us-east1, but that pool consumes si-prod-events-us-central1: point the trigger at si-prod-events-us-central1.',
    ]);
  });

  it("flags a subscription or a pool that is not in the stack", async () => {
    expect(
      await messagesOf("backlog-autoscaler-input-subscription", [
        ...stack,
        withSubscription("other-team-events"),
      ]),
    ).toEqual([
      'Parameter version "autoscaler-config-version" reads subscription other-team-events, which is not a subscription of this stack: point it at si-prod-events-us-central1.',
    ]);
    expect(
      await messagesOf("backlog-autoscaler-input-subscription", [subscription, cremaConfigVersion]),
    ).toEqual([
      'Parameter version "autoscaler-config-version" scales projects/acme-ml-prod/locations/us-central1/workerPools/si-prod-worker-us-central1, which is not a worker pool of this stack.',
    ]);
  });
});
