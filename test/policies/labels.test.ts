import { describe, expect, it } from "vitest";
import {
  LABELS,
  bigqueryTable,
  bigtableInstance,
  cryptoKey,
  dataset,
  endpoint,
  modelDeployment,
  repository,
  subnet,
  subscription,
  topic,
  vm,
  workerPool,
} from "./fixtures/compliantResources";
import { messagesOf, planned, resourceViolations, withInput } from "./harness";

const LABELLED = [
  topic,
  subscription,
  bigtableInstance,
  dataset,
  bigqueryTable,
  endpoint,
  repository,
  workerPool,
  cryptoKey,
  vm,
  modelDeployment,
];

describe("labels-required", () => {
  it("passes resources carrying env, team and cost-center", async () => {
    expect(await messagesOf("labels-required", LABELLED)).toEqual([]);
  });

  it.each(LABELLED.map((r) => [r.type, r] as const))(
    "flags a %s without labels, and nothing else",
    async (_type, resource) => {
      const broken = withInput(resource, "labels", undefined);
      const violations = await resourceViolations(broken);
      expect(violations.map((v) => v.policy)).toEqual(["labels-required"]);
      expect(violations[0]?.message).toMatch(
        / lacks label\(s\) env, team, cost-center: add them to labels\.$/,
      );
    },
  );

  it("names exactly the missing or empty labels", async () => {
    const broken = withInput(topic, "labels", { ...LABELS, team: "", "cost-center": undefined });
    expect(await messagesOf("labels-required", broken)).toEqual([
      'Pub/Sub topic "events-topic" lacks label(s) team, cost-center: add them to labels.',
    ]);
  });

  it("counts the provider's defaultLabels, which the engine passes as JSON", async () => {
    const provider = planned("pulumi:providers:gcp", "gcp", { defaultLabels: JSON.stringify(LABELS) });
    const unlabelled = withInput(topic, "labels", { team: "search" });
    const viaProvider = { ...unlabelled, provider: `${provider.urn}::provider-id` };
    expect(await messagesOf("labels-required", [provider, viaProvider])).toEqual([]);
    expect(await messagesOf("labels-required", [provider, unlabelled])).toEqual([
      'Pub/Sub topic "events-topic" lacks label(s) env, cost-center: add them to labels.',
    ]);
  });

  it("leaves resources that take no labels alone", async () => {
    expect(await messagesOf("labels-required", withInput(subnet, "labels", undefined))).toEqual([]);
  });

  it("takes the required keys from the pack config", async () => {
    const config = { "labels-required": { requiredLabels: ["env", "data-class"] } };
    expect(await messagesOf("labels-required", topic, config)).toEqual([
      'Pub/Sub topic "events-topic" lacks label(s) data-class: add them to labels.',
    ]);
  });
});
