/** Shared Pub/Sub settings of the messaging building blocks. */
import * as pulumi from "@pulumi/pulumi";
import type * as gcp from "@pulumi/gcp";

/** Pub/Sub durations are strings of seconds: `"600s"`. */
export const seconds = (value: pulumi.Input<number>): pulumi.Output<string> =>
  pulumi.output(value).apply((s) => `${s}s`);

/** A subscription that never expires: a consumer that scales to zero must not lose it. */
export const NEVER_EXPIRES: gcp.types.input.pubsub.SubscriptionExpirationPolicy = { ttl: "" };

/** Where the topic's messages may be stored, enforced in transit too when asked. */
export function storagePolicy(
  regions: pulumi.Input<pulumi.Input<string>[]>,
  enforceInTransit: pulumi.Input<boolean>,
): gcp.types.input.pubsub.TopicMessageStoragePolicy {
  return { allowedPersistenceRegions: regions, enforceInTransit };
}

export const PUBLISHER_ROLE = "roles/pubsub.publisher";
export const SUBSCRIBER_ROLE = "roles/pubsub.subscriber";

/** Label that marks dead-letter inspection subscriptions (they have no dead-letter policy of their own). */
export const INSPECTION_LABEL = { "si-role": "dead-letter-inspection" } as const;
