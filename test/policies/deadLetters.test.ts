import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { runPolicies } from "../../policies/src";
import { pullSubscriptionDeadLetter } from "../../policies/src/deadLetters";
import {
  bigquerySubscription,
  deadLetterSubscription,
  deadLetterTopic,
  subscription,
  topic,
} from "./fixtures/compliantResources";
import { messagesOf, resourceViolations, withInput } from "./harness";

describe("pubsub-pull-subscription-dead-letter", () => {
  it("passes a pull subscription with a dead-letter and a retry policy, and exempts dead-letter readers", async () => {
    expect(
      await messagesOf("pubsub-pull-subscription-dead-letter", [subscription, deadLetterSubscription]),
    ).toEqual([]);
  });

  it("flags a pull subscription without a dead-letter policy, and nothing else", async () => {
    const broken = withInput(subscription, "deadLetterPolicy", undefined);
    expect((await resourceViolations(broken)).map((v) => [v.policy, v.message])).toEqual([
      [
        "pubsub-pull-subscription-dead-letter",
        'Pub/Sub subscription "events-us-central1" has no dead-letter policy: set deadLetterPolicy.deadLetterTopic and deadLetterPolicy.maxDeliveryAttempts (5-100).',
      ],
    ]);
  });

  it.each([[4], [101]])("flags %i delivery attempts", async (attempts) => {
    const broken = withInput(subscription, "deadLetterPolicy.maxDeliveryAttempts", attempts);
    expect(await messagesOf("pubsub-pull-subscription-dead-letter", broken)).toEqual([
      `Pub/Sub subscription "events-us-central1" dead-letters after ${attempts} delivery attempts: set deadLetterPolicy.maxDeliveryAttempts to 5-100.`,
    ]);
  });

  it("flags a pull subscription without a retry policy", async () => {
    const broken = withInput(subscription, "retryPolicy", undefined);
    expect(await messagesOf("pubsub-pull-subscription-dead-letter", broken)).toEqual([
      'Pub/Sub subscription "events-us-central1" has no retry policy: set retryPolicy.minimumBackoff and retryPolicy.maximumBackoff.',
    ]);
  });

  it("tells dead-letter topics apart by the configured pattern", async () => {
    const config = { "pubsub-pull-subscription-dead-letter": { deadLetterTopicPattern: "-deadletter$" } };
    expect(await messagesOf("pubsub-pull-subscription-dead-letter", deadLetterSubscription, config)).toEqual([
      'Pub/Sub subscription "events-dlq-inspect" has no dead-letter policy: set deadLetterPolicy.deadLetterTopic and deadLetterPolicy.maxDeliveryAttempts (5-100).',
      'Pub/Sub subscription "events-dlq-inspect" has no retry policy: set retryPolicy.minimumBackoff and retryPolicy.maximumBackoff.',
    ]);
  });

  it("leaves BigQuery subscriptions to their own rule", async () => {
    const noDlq = withInput(bigquerySubscription, "deadLetterPolicy", undefined);
    expect(await messagesOf("pubsub-pull-subscription-dead-letter", noDlq)).toEqual([]);
  });
});

describe("pubsub-bigquery-subscription-dead-letter", () => {
  it("passes a BigQuery subscription with a dead-letter policy", async () => {
    expect(await messagesOf("pubsub-bigquery-subscription-dead-letter", bigquerySubscription)).toEqual([]);
  });

  it("flags a BigQuery subscription without one, and nothing else", async () => {
    const broken = withInput(bigquerySubscription, "deadLetterPolicy", undefined);
    expect((await resourceViolations(broken)).map((v) => [v.policy, v.message])).toEqual([
      [
        "pubsub-bigquery-subscription-dead-letter",
        'Pub/Sub subscription "predictions-bigquery" has no dead-letter policy: set deadLetterPolicy.deadLetterTopic and deadLetterPolicy.maxDeliveryAttempts (5-100).',
      ],
    ]);
  });
});

describe("pubsub-retention-bounded", () => {
  it("passes bounded retention, a subscription on Pub/Sub's 7-day default, and a topic that keeps nothing", async () => {
    const defaulted = withInput(subscription, "messageRetentionDuration", undefined);
    expect(
      await messagesOf("pubsub-retention-bounded", [subscription, defaulted, topic, deadLetterTopic]),
    ).toEqual([]);
  });

  it("flags a subscription that keeps messages for a month", async () => {
    const broken = withInput(subscription, "messageRetentionDuration", "2678400s");
    expect(await messagesOf("pubsub-retention-bounded", broken)).toEqual([
      'Pub/Sub subscription "events-us-central1" keeps messages for 31 days (messageRetentionDuration "2678400s"): set it to at most "604800s" (7 days).',
    ]);
    expect((await resourceViolations(broken)).map((v) => v.policy)).toEqual(["pubsub-retention-bounded"]);
  });

  it("flags topic retention over the limit", async () => {
    const broken = withInput(topic, "messageRetentionDuration", "1209600s");
    expect(await messagesOf("pubsub-retention-bounded", broken)).toEqual([
      'Pub/Sub topic "events-topic" keeps messages for 14 days (messageRetentionDuration "1209600s"): set it to at most "604800s" (7 days).',
    ]);
  });

  it("holds an unset subscription to a configured limit below Pub/Sub's default", async () => {
    const config = { "pubsub-retention-bounded": { maxRetentionSeconds: 172_800 } };
    const defaulted = withInput(subscription, "messageRetentionDuration", undefined);
    expect(await messagesOf("pubsub-retention-bounded", defaulted, config)).toEqual([
      'Pub/Sub subscription "events-us-central1" keeps messages for 7 days (Pub/Sub\'s default): set messageRetentionDuration to at most "172800s" (2 days).',
    ]);
  });
});

describe("pubsub-pull-subscription-dead-letter at preview", () => {
  it("judges a compliant subscription whose topic is not known yet", async () => {
    const preview = withInput(subscription, "topic", pulumi.runtime.unknownValue);
    expect(await runPolicies([preview], { policies: [pullSubscriptionDeadLetter] })).toEqual([]);
  });

  it("cannot tell whether a subscription without a DLQ reads a dead-letter topic until its topic is known", async () => {
    const preview = withInput(
      withInput(subscription, "topic", pulumi.runtime.unknownValue),
      "deadLetterPolicy",
      undefined,
    );
    expect(await runPolicies([preview], { policies: [pullSubscriptionDeadLetter] })).toEqual([
      {
        policy: "pubsub-pull-subscription-dead-letter",
        level: "advisory",
        resource: preview.urn,
        message:
          "can't run policy pubsub-pull-subscription-dead-letter during preview: string value at .topic can't be known during preview",
      },
    ]);
  });
});
