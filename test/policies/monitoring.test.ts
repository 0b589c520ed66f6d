import { describe, expect, it } from "vitest";
import { runPolicies } from "../../policies/src";
import {
  COMPLIANT_STACK,
  deadLetterAlert,
  deadLetterSubscription,
  freshnessAlert,
  slo,
  standbySubscription,
  subscription,
  workerPool,
} from "./fixtures/compliantResources";
import { renamed, withInput } from "./harness";

/** The compliant stack with `resource` replaced (matched by URN) or removed. */
function stackWith(replace: { urn: string }, by?: (typeof COMPLIANT_STACK)[number]) {
  return COMPLIANT_STACK.flatMap((r) => (r.urn === replace.urn ? (by ? [by] : []) : [r]));
}

async function violations(stack: typeof COMPLIANT_STACK) {
  return (await runPolicies(stack)).map((v) => [v.policy, v.resource, v.message]);
}

describe("input-subscription-freshness-alert", () => {
  it("flags an input subscription whose only alert watches another subscription", async () => {
    const other = withInput(
      freshnessAlert,
      "conditions.0.conditionThreshold.filter",
      'metric.type="pubsub.googleapis.com/subscription/oldest_unacked_message_age" AND resource.label.subscription_id="si-prod-events-us-central1-old"',
    );
    expect(await violations(stackWith(freshnessAlert, other))).toEqual([
      [
        "input-subscription-freshness-alert",
        subscription.urn,
        'Pub/Sub subscription "events-us-central1" has no freshness alert: add an alert policy on pubsub.googleapis.com/subscription/oldest_unacked_message_age with resource.label.subscription_id = "si-prod-events-us-central1".',
      ],
    ]);
  });

  it("does not count a disabled alert, or an alert on another metric", async () => {
    const disabled = withInput(freshnessAlert, "enabled", false);
    const otherMetric = withInput(
      freshnessAlert,
      "conditions.0.conditionThreshold.filter",
      'metric.type="pubsub.googleapis.com/subscription/num_undelivered_messages" AND resource.label.subscription_id="si-prod-events-us-central1"',
    );
    for (const alert of [disabled, otherMetric]) {
      expect((await violations(stackWith(freshnessAlert, alert))).map(([policy]) => policy)).toEqual([
        "input-subscription-freshness-alert",
      ]);
    }
  });

  it("accepts an MQL query naming the subscription", async () => {
    const mql = withInput(freshnessAlert, "conditions.0", {
      displayName: "mql",
      conditionMonitoringQueryLanguage: {
        query:
          "fetch pubsub_subscription | metric 'pubsub.googleapis.com/subscription/oldest_unacked_message_age' | filter resource.subscription_id == 'si-prod-events-us-central1'",
        duration: "60s",
      },
    });
    expect(await violations(stackWith(freshnessAlert, mql))).toEqual([]);
  });
});

describe("input-subscription-freshness-alert: which subscriptions are inputs", () => {
  it("exempts a standby subscription no worker reads, and requires an alert once a worker reads it", async () => {
    const failedOver = withInput(workerPool, "template.containers.0.envs.0.value", "si-prod-events-us-east1");
    expect(await violations(stackWith(workerPool, failedOver))).toEqual([
      [
        "input-subscription-freshness-alert",
        standbySubscription.urn,
        'Pub/Sub subscription "events-us-east1" has no freshness alert: add an alert policy on pubsub.googleapis.com/subscription/oldest_unacked_message_age with resource.label.subscription_id = "si-prod-events-us-east1".',
      ],
    ]);
  });

  it("counts every pull subscription off the dead-letter topics as an input when no worker says what it reads", async () => {
    const noWorkers = COMPLIANT_STACK.filter((r) => r.urn !== workerPool.urn);
    expect((await violations(noWorkers)).map(([policy, urn]) => [policy, urn])).toEqual([
      ["input-subscription-freshness-alert", standbySubscription.urn],
    ]);
  });
});

describe("dead-letter-topic-alert", () => {
  it("flags a dead-letter topic nobody watches", async () => {
    expect(await violations(stackWith(deadLetterAlert))).toEqual([
      [
        "dead-letter-topic-alert",
        "urn:pulumi:prod::streaming-inference::gcp:pubsub/topic:Topic::events-dlq-topic",
        'Pub/Sub topic "events-dlq-topic" has no alert: add an alert policy on pubsub.googleapis.com/topic/send_message_operation_count for topic_id "si-prod-events-dlq" or on subscription/num_undelivered_messages for subscription_id "si-prod-events-dlq-inspect".',
      ],
    ]);
  });

  it("accepts an alert on the subscription that reads the dead-letter topic", async () => {
    const onSubscription = withInput(
      deadLetterAlert,
      "conditions.0.conditionThreshold.filter",
      'metric.type="pubsub.googleapis.com/subscription/num_undelivered_messages" AND resource.label.subscription_id="si-prod-events-dlq-inspect"',
    );
    expect(await violations(stackWith(deadLetterAlert, onSubscription))).toEqual([]);
    // Without that subscription, the alert watches nothing on the dead-letter topic.
    const stack = stackWith(deadLetterAlert, onSubscription).filter(
      (r) => r.urn !== deadLetterSubscription.urn,
    );
    expect((await violations(stack)).map(([policy]) => policy)).toEqual(["dead-letter-topic-alert"]);
  });
});

describe("slo-defined", () => {
  it("flags a stack that consumes a stream without an SLO", async () => {
    expect(await violations(stackWith(slo))).toEqual([
      [
        "slo-defined",
        undefined,
        "The stack defines no SLO: add a gcp.monitoring.Slo, e.g. data freshness (90% of predictions within 3 minutes of their event).",
      ],
    ]);
  });

  it("does not apply to a stack that neither consumes a stream nor serves a model", async () => {
    const keysOnly = COMPLIANT_STACK.filter((r) => r.type === "gcp:kms/cryptoKey:CryptoKey");
    expect(await runPolicies(keysOnly)).toEqual([]);
  });

  it("names the subscription by its resource id, not its Pulumi name", async () => {
    // Same subscription id under another Pulumi name: the alert still covers it.
    expect(await violations(stackWith(subscription, renamed(subscription, "events-primary")))).toEqual([]);
  });
});
