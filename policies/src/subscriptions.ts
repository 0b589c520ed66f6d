/** How the policies classify Pub/Sub subscriptions and topics. */
import type { PropsOf } from "./resources";
import type { SettingsSchema } from "./policyConfig";

export type SubscriptionProps = PropsOf<"gcp:pubsub/subscription:Subscription">;

/** Pull (the worker's), push, BigQuery or Cloud Storage delivery. */
export function deliveryOf(sub: SubscriptionProps): "pull" | "push" | "bigquery" | "cloudStorage" {
  if (sub.bigqueryConfig) return "bigquery";
  if (sub.cloudStorageConfig) return "cloudStorage";
  if (sub.pushConfig) return "push";
  return "pull";
}

/** `projects/p/topics/t` or `t` -> `t`. */
export function shortName(resourceName: string): string {
  return resourceName.slice(resourceName.lastIndexOf("/") + 1);
}

/** The setting that tells dead-letter topics apart (the contract names them `<topic>-dlq`). */
export interface DeadLetterTopicSetting {
  deadLetterTopicPattern: string;
}

export const deadLetterTopicSchema: SettingsSchema<DeadLetterTopicSetting> = {
  deadLetterTopicPattern: {
    type: "string",
    default: "-dlq$",
    description: "Regular expression matching the short names of dead-letter topics.",
  },
};

export function isDeadLetterTopic(topic: string, setting: DeadLetterTopicSetting): boolean {
  return new RegExp(setting.deadLetterTopicPattern).test(shortName(topic));
}
