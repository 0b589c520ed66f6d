/**
 * Dead letters and bounded retention: a message that cannot be processed leaves its
 * subscription after a few attempts, and nothing keeps data in the broker for long.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { MAX_RETENTION_SECONDS } from "../../contract";
import { settings } from "./policyConfig";
import { GCP, describe, propsOf } from "./resources";
import {
  deadLetterTopicSchema,
  deliveryOf,
  isDeadLetterTopic,
  type SubscriptionProps,
} from "./subscriptions";
import { formatSeconds, parseDurationSeconds } from "./values";

/** Pub/Sub's own default when `maxDeliveryAttempts` is unset. */
const PUBSUB_DEFAULT_ATTEMPTS = 5;
/** Pub/Sub's own default when a subscription's `messageRetentionDuration` is unset. */
const PUBSUB_DEFAULT_RETENTION_SECONDS = 7 * 86_400;

export const deadLetterSettings = settings<{
  minDeliveryAttempts: number;
  maxDeliveryAttempts: number;
  deadLetterTopicPattern: string;
}>({
  minDeliveryAttempts: { type: "integer", minimum: 5, maximum: 100, default: 5 },
  maxDeliveryAttempts: { type: "integer", minimum: 5, maximum: 100, default: 100 },
  ...deadLetterTopicSchema,
});

type DeadLetterLimits = { minDeliveryAttempts: number; maxDeliveryAttempts: number };

/** What is wrong with a subscription's dead-letter policy, as fixes. */
function deadLetterProblems(subject: string, sub: SubscriptionProps, limits: DeadLetterLimits): string[] {
  const range = `${limits.minDeliveryAttempts}-${limits.maxDeliveryAttempts}`;
  const policy = sub.deadLetterPolicy;
  if (!policy?.deadLetterTopic) {
    return [
      `${subject} has no dead-letter policy: set deadLetterPolicy.deadLetterTopic and ` +
        `deadLetterPolicy.maxDeliveryAttempts (${range}).`,
    ];
  }
  const attempts = policy.maxDeliveryAttempts ?? PUBSUB_DEFAULT_ATTEMPTS;
  if (attempts < limits.minDeliveryAttempts || attempts > limits.maxDeliveryAttempts) {
    return [
      `${subject} dead-letters after ${attempts} delivery attempts: set deadLetterPolicy.maxDeliveryAttempts ` +
        `to ${range}.`,
    ];
  }
  return [];
}

export const pullSubscriptionDeadLetter: ResourceValidationPolicy = {
  name: "pubsub-pull-subscription-dead-letter",
  description:
    "Every pull subscription (except one reading a dead-letter topic) has a dead-letter policy with 5 to 100 " +
    "delivery attempts and a retry policy: a poison message then leaves the subscription instead of being " +
    "redelivered forever, and retries back off instead of hammering a failing dependency.",
  enforcementLevel: "mandatory",
  configSchema: deadLetterSettings.schema,
  validateResource: (args, reportViolation) => {
    const sub = propsOf(args, GCP.subscription);
    if (!sub || deliveryOf(sub) !== "pull") return args.notApplicable("not a pull subscription");
    const config = deadLetterSettings.read(args);
    const problems = deadLetterProblems(describe(args), sub, config);
    if (!sub.retryPolicy) {
      problems.push(
        `${describe(args)} has no retry policy: set retryPolicy.minimumBackoff and retryPolicy.maximumBackoff.`,
      );
    }
    // Read the topic only when it matters: at preview it is often unknown (a topic still to be created).
    if (problems.length === 0) return;
    if (isDeadLetterTopic(sub.topic, config)) return args.notApplicable("reads a dead-letter topic");
    problems.forEach((p) => reportViolation(p));
  },
};

export const bigquerySubscriptionDeadLetter: ResourceValidationPolicy = {
  name: "pubsub-bigquery-subscription-dead-letter",
  description:
    "Every BigQuery subscription has a dead-letter policy with 5 to 100 delivery attempts: a row BigQuery " +
    "rejects (schema mismatch) then goes to a dead-letter topic instead of blocking the subscription.",
  enforcementLevel: "mandatory",
  configSchema: deadLetterSettings.schema,
  validateResource: (args, reportViolation) => {
    const sub = propsOf(args, GCP.subscription);
    if (!sub || deliveryOf(sub) !== "bigquery") return args.notApplicable("not a BigQuery subscription");
    deadLetterProblems(describe(args), sub, deadLetterSettings.read(args)).forEach((p) => reportViolation(p));
  },
};

export const retentionSettings = settings<{ maxRetentionSeconds: number }>({
  maxRetentionSeconds: {
    type: "integer",
    minimum: 600,
    default: MAX_RETENTION_SECONDS,
    description: "Longest message retention allowed on a topic or subscription, in seconds.",
  },
});

export const pubsubRetentionBounded: ResourceValidationPolicy = {
  name: "pubsub-retention-bounded",
  description:
    "Topics and subscriptions keep messages for at most 7 days (configurable): the broker buffers events for " +
    "replay after an outage, it is not a data store (the reference architecture keeps history in BigQuery).",
  enforcementLevel: "mandatory",
  configSchema: retentionSettings.schema,
  validateResource: (args, reportViolation) => {
    const sub = propsOf(args, GCP.subscription);
    const topic = propsOf(args, GCP.topic);
    if (!sub && !topic) return args.notApplicable("not a Pub/Sub topic or subscription");
    const { maxRetentionSeconds } = retentionSettings.read(args);
    const limit = `"${maxRetentionSeconds}s" (${formatSeconds(maxRetentionSeconds)})`;
    const configured = (sub ?? topic)?.messageRetentionDuration;
    if (configured === undefined || configured === "") {
      // A topic keeps nothing unless told to; a subscription keeps 7 days by default.
      if (sub && PUBSUB_DEFAULT_RETENTION_SECONDS > maxRetentionSeconds) {
        reportViolation(
          `${describe(args)} keeps messages for ${formatSeconds(PUBSUB_DEFAULT_RETENTION_SECONDS)} ` +
            `(Pub/Sub's default): set messageRetentionDuration to at most ${limit}.`,
        );
      }
      return;
    }
    const seconds = parseDurationSeconds(configured);
    if (seconds === undefined) {
      reportViolation(
        `${describe(args)} has messageRetentionDuration "${configured}", which is not a duration: ` +
          `use seconds, at most ${limit}.`,
      );
    } else if (seconds > maxRetentionSeconds) {
      reportViolation(
        `${describe(args)} keeps messages for ${formatSeconds(seconds)} (messageRetentionDuration ` +
          `"${configured}"): set it to at most ${limit}.`,
      );
    }
  },
};
