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
  it("passes a pool with a cap", async () => {
    expect(await messagesOf("worker-pool-instance-cap", workerPool)).toEqual([]);
  });

  it("flags a pool without a cap, and nothing else", async () => {
    const broken = withInput(workerPool, "scaling", { scalingMode: "AUTOMATIC", minInstanceCount: 1 });
    expect((await resourceViolations(broken)).map((v) => [v.policy, v.message])).toEqual([
      [
        "worker-pool-instance-cap",
        'Cloud Run worker pool "worker-us-central1" has no max instance cap: set scaling.maxInstanceCount (worker.scaling.maxInstances in the stack config).',
      ],
    ]);
    expect(
      await messagesOf("worker-pool-instance-cap", withInput(workerPool, "scaling", undefined)),
    ).toHaveLength(1);
  });

  it("flags a cap above the ceiling (configurable) and a manual count above the cap", async () => {
    const high = withInput(workerPool, "scaling.maxInstanceCount", 500);
    expect(await messagesOf("worker-pool-instance-cap", high)).toEqual([
      'Cloud Run worker pool "worker-us-central1" may grow to 500 instances, above the cap of 100: lower scaling.maxInstanceCount (or raise maxInstanceCap).',
    ]);
    expect(
      await messagesOf("worker-pool-instance-cap", high, {
        "worker-pool-instance-cap": { maxInstanceCap: 500 },
      }),
    ).toEqual([]);
    expect(
      await messagesOf("worker-pool-instance-cap", withInput(workerPool, "scaling.manualInstanceCount", 11)),
    ).toEqual(['Cloud Run worker pool "worker-us-central1" runs 11 instances, above its own cap of 10.']);
  });
});

describe("autoscaler-grants-per-resource", () => {
  it("passes a grant on the pool and a conditioned config grant", async () => {
    expect(
      await messagesOf("autoscaler-grants-per-resource", [autoscalerPoolGrant, autoscalerConfigGrant]),
    ).toEqual([]);
  });

  it.each(["roles/run.developer", "roles/run.admin"])("flags %s on the whole project", async (role) => {
    const broken = renamed(
      withInput(withInput(autoscalerConfigGrant, "role", role), "condition", undefined),
      "crema-run",
    );
    expect(await messagesOf("autoscaler-grants-per-resource", broken)).toEqual([
      `IAM grant "crema-run" gives ${role} on all of project acme-ml-prod to ${AUTOSCALER}: grant it with gcp.cloudrunv2.WorkerPoolIamMember on the pool it scales instead.`,
    ]);
  });

  it("flags acting as every service account, and reading every parameter", async () => {
    const actAs = withInput(
      withInput(autoscalerConfigGrant, "role", "roles/iam.serviceAccountUser"),
      "condition",
      undefined,
    );
    expect(await messagesOf("autoscaler-grants-per-resource", actAs)).toEqual([
      `IAM grant "autoscaler-config-viewer" gives roles/iam.serviceAccountUser on all of project acme-ml-prod to ${AUTOSCALER}: grant it with gcp.serviceaccount.IAMMember on the pool's service account instead.`,
    ]);
    expect(
      await messagesOf(
        "autoscaler-grants-per-resource",
        withInput(autoscalerConfigGrant, "condition", undefined),
      ),
    ).toEqual([
      `IAM grant "autoscaler-config-viewer" gives roles/parametermanager.parameterViewer on all of project acme-ml-prod to ${AUTOSCALER}: add a condition on resource.name naming the parameter it reads.`,
    ]);
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
      'Parameter version "autoscaler-config-version" reads subscription projects/acme-ml-prod/subscriptions/other-team-events, which is not a subscription of this stack: point it at si-prod-events-us-central1.',
    ]);
    expect(
      await messagesOf("backlog-autoscaler-input-subscription", [subscription, cremaConfigVersion]),
    ).toEqual([
      'Parameter version "autoscaler-config-version" scales projects/acme-ml-prod/locations/us-central1/workerPools/si-prod-worker-us-central1, which is not a worker pool of this stack.',
    ]);
  });
});
