import { describe, expect, it } from "vitest";
import {
  checkCremaConfig,
  cremaConfigOf,
  type BacklogScalerSpec,
} from "../../../components/workerDeployment/cremaConfig";

const spec: BacklogScalerSpec = {
  projectId: "acme-ml-prod",
  region: "us-east1",
  workerPoolName: "si-prod-worker-us-east1",
  subscriptionName: "si-prod-events-us-east1",
  targetBacklogPerInstance: 1000,
  minInstances: 2,
  maxInstances: 10,
  cooldownSeconds: 120,
};

/** The rendered config, loosely typed so a test can break it. */
interface Loose {
  spec: { scaledObjects: Record<string, unknown>[] };
}
interface LooseSpec extends Record<string, unknown> {
  scaleTargetRef: { name: string };
  triggers: {
    type: string;
    metricType?: string;
    metadata: Record<string, unknown>;
    authenticationRef: { name: string };
  }[];
}

/** The first scaled object's spec. */
function so(c: Loose): LooseSpec {
  const first = c.spec.scaledObjects[0];
  if (!first) throw new Error("no scaled object");
  return first.spec as LooseSpec;
}
function trigger(c: Loose) {
  const first = so(c).triggers[0];
  if (!first) throw new Error("no trigger");
  return first;
}

/** A copy of the rendered config changed by `edit`. */
function edited(edit: (c: Loose) => void): unknown {
  const config = structuredClone(cremaConfigOf(spec)) as unknown as Loose;
  edit(config);
  return config;
}

describe("the CREMA config", () => {
  it("scales the pool on its own subscription's backlog, in the form CREMA reads", () => {
    const so = cremaConfigOf(spec).spec.scaledObjects[0]?.spec;
    expect(so?.scaleTargetRef.name).toBe(
      "projects/acme-ml-prod/locations/us-east1/workerPools/si-prod-worker-us-east1",
    );
    expect([so?.minReplicaCount, so?.maxReplicaCount]).toEqual([2, 10]);
    const common = {
      projectId: "acme-ml-prod",
      activationTargetValue: "0",
      valueIfNull: "0",
      filterDuration: "5",
      alignmentPeriodSeconds: "60",
      alignmentAligner: "max",
      alignmentReducer: "max",
    };
    expect(so?.triggers).toEqual([
      {
        type: "gcp-stackdriver",
        name: "input-backlog",
        metricType: "AverageValue",
        metadata: {
          ...common,
          filter:
            'metric.type="pubsub.googleapis.com/subscription/num_undelivered_messages" ' +
            'resource.type="pubsub_subscription" resource.label.subscription_id="si-prod-events-us-east1"',
          targetValue: "1000",
        },
        authenticationRef: { name: "crema-service-account" },
      },
      {
        type: "gcp-stackdriver",
        name: "input-oldest-age",
        metricType: "Value",
        metadata: {
          ...common,
          filter:
            'metric.type="pubsub.googleapis.com/subscription/oldest_unacked_message_age" ' +
            'resource.type="pubsub_subscription" resource.label.subscription_id="si-prod-events-us-east1"',
          targetValue: "120",
        },
        authenticationRef: { name: "crema-service-account" },
      },
    ]);
  });

  it("puts the cooldown in the scale-down stabilization window (CREMA ignores cooldownPeriod)", () => {
    const behavior =
      cremaConfigOf(spec).spec.scaledObjects[0]?.spec.advanced.horizontalPodAutoscalerConfig.behavior;
    expect(behavior?.scaleDown.stabilizationWindowSeconds).toBe(120);
    expect(behavior?.scaleUp).toEqual({
      stabilizationWindowSeconds: 0,
      selectPolicy: "Max",
      policies: [
        { type: "Percent", value: 100, periodSeconds: 15 },
        { type: "Pods", value: 4, periodSeconds: 15 },
      ],
    });
  });

  it("survives a JSON round trip (CREMA parses the parameter's payload as YAML, of which JSON is a subset)", () => {
    const config = cremaConfigOf(spec);
    expect(checkCremaConfig(JSON.parse(JSON.stringify(config)))).toEqual(config);
  });
});

describe("the CREMA config check (as strict as CREMA's reader)", () => {
  it.each([
    ["an unknown field (UnmarshalStrict)", (c: Loose) => (so(c).cooldownPeriod = 60)],
    ["KEDA metadata that is not a string", (c: Loose) => (trigger(c).metadata.targetValue = 1000)],
    ["no valueIfNull", (c: Loose) => delete trigger(c).metadata.valueIfNull],
    ["a metadata key KEDA's scaler does not have", (c: Loose) => (trigger(c).metadata.value = "1")],
    ["the deprecated gcp-pubsub scaler", (c: Loose) => (trigger(c).type = "gcp-pubsub")],
    ["a Utilization target (KEDA refuses it)", (c: Loose) => (trigger(c).metricType = "Utilization")],
    ["an alignment period under 60 s", (c: Loose) => (trigger(c).metadata.alignmentPeriodSeconds = "30")],
    ["an aligner KEDA does not know", (c: Loose) => (trigger(c).metadata.alignmentAligner = "newest")],
    ["a zero target (CREMA skips the trigger)", (c: Loose) => (trigger(c).metadata.targetValue = "0")],
    ["a filter on no subscription", (c: Loose) => (trigger(c).metadata.filter = 'metric.type="x"')],
    ["a target that is not a worker pool", (c: Loose) => (so(c).scaleTargetRef.name = "si-prod-worker")],
    ["an authenticationRef to nothing", (c: Loose) => (trigger(c).authenticationRef.name = "other")],
    ["no scaled object", (c: Loose) => (c.spec.scaledObjects = [])],
    ["a polling interval on a scaled object", (c: Loose) => (so(c).pollingInterval = 30)],
    ["min above max", (c: Loose) => (so(c).minReplicaCount = 11)],
  ])("rejects %s", (_what, edit) => {
    expect(() => checkCremaConfig(edited(edit))).toThrow(/^CREMA would reject this config/);
  });

  it("refuses to render a config CREMA would reject", () => {
    expect(() => cremaConfigOf({ ...spec, subscriptionName: "1-starts-with-a-digit" })).toThrow(
      /filter: must select one pubsub_subscription/,
    );
  });
});
