/**
 * Stack policies: a stream that nobody watches is a stream that silently stops. Every
 * input subscription has a freshness alert, every dead-letter topic an alert when it
 * receives messages, and the stack defines at least one SLO.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { WORKER_ENV } from "../../contract";
import { settings } from "./policyConfig";
import { GCP, describe, propsOf } from "./resources";
import { deadLetterTopicSchema, deliveryOf, isDeadLetterTopic, shortName } from "./subscriptions";

const OLDEST_UNACKED = "subscription/oldest_unacked_message_age";

export const monitoringSettings = settings<{ deadLetterTopicPattern: string }>({ ...deadLetterTopicSchema });

/** Filters and queries of the enabled alert policies. */
function alertTexts(resources: PolicyResource[]): string[] {
  return resources.flatMap((r) => {
    const alert = propsOf(r, GCP.alertPolicy);
    if (!alert || alert.enabled === false) return [];
    return (alert.conditions ?? []).flatMap((c) =>
      [
        c.conditionThreshold?.filter,
        c.conditionThreshold?.denominatorFilter,
        c.conditionAbsent?.filter,
        c.conditionMonitoringQueryLanguage?.query,
        c.conditionPrometheusQueryLanguage?.query,
      ].filter((t): t is string => typeof t === "string"),
    );
  });
}

/** True when `text` names `id` as a whole resource id (not as the prefix of a longer one). */
export function mentions(text: string, id: string): boolean {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^A-Za-z0-9_-])${escaped}($|[^A-Za-z0-9_-])`).test(text);
}

/** The resource id of a topic or subscription: its `name`, else the Pulumi name (auto-naming off). */
function idOf(resource: PolicyResource): string {
  const name = (resource.props as { name?: unknown }).name;
  return typeof name === "string" && name !== "" ? shortName(name) : resource.name;
}

/**
 * Subscription ids the stack's workers read (the `SI_INPUT_SUBSCRIPTION` of each worker
 * pool's containers, as the contract names it). Empty when no worker says.
 */
function subscriptionsReadByWorkers(resources: PolicyResource[]): Set<string> {
  const ids = resources.flatMap((r) =>
    (propsOf(r, GCP.workerPool)?.template?.containers ?? []).flatMap((c) =>
      (c.envs ?? [])
        .filter((e) => e.name === WORKER_ENV.subscription && e.value)
        .map((e) => shortName(e.value ?? "")),
    ),
  );
  return new Set(ids);
}

export const inputSubscriptionFreshnessAlert: StackValidationPolicy = {
  name: "input-subscription-freshness-alert",
  description:
    "Every input subscription has an alert on its oldest unacknowledged message age: the first sign that the " +
    "worker stopped or fell behind, long before the freshness SLO burns. Input subscriptions are those the " +
    "stack's workers read (SI_INPUT_SUBSCRIPTION); a subscription no worker reads is a failover standby whose " +
    "backlog grows by design. In a stack without workers, every pull subscription not on a dead-letter topic " +
    "is an input.",
  enforcementLevel: "mandatory",
  configSchema: monitoringSettings.schema,
  validateStack: (args, reportViolation) => {
    const config = monitoringSettings.read(args);
    const texts = alertTexts(args.resources).filter((t) => t.includes(OLDEST_UNACKED));
    const read = subscriptionsReadByWorkers(args.resources);
    for (const r of args.resources) {
      const sub = propsOf(r, GCP.subscription);
      if (!sub || deliveryOf(sub) !== "pull") continue;
      const id = idOf(r);
      const isInput = read.size > 0 ? read.has(id) : !isDeadLetterTopic(sub.topic, config);
      if (isInput && !texts.some((t) => mentions(t, id))) {
        reportViolation(
          `${describe(r)} has no freshness alert: add an alert policy on pubsub.googleapis.com/${OLDEST_UNACKED} ` +
            `with resource.label.subscription_id = "${id}".`,
          r.urn,
        );
      }
    }
  },
};

export const deadLetterTopicAlert: StackValidationPolicy = {
  name: "dead-letter-topic-alert",
  description:
    "Every dead-letter topic has an alert that fires when messages arrive on it (or wait on its " +
    "subscription): dead letters are lost predictions until someone looks at them.",
  enforcementLevel: "mandatory",
  configSchema: monitoringSettings.schema,
  validateStack: (args, reportViolation) => {
    const config = monitoringSettings.read(args);
    const texts = alertTexts(args.resources).filter((t) => t.includes("pubsub.googleapis.com/"));
    const subscriptions = args.resources.filter((r) => r.type === GCP.subscription);
    for (const r of args.resources) {
      if (r.type !== GCP.topic) continue;
      const id = idOf(r);
      if (!isDeadLetterTopic(id, config)) continue;
      const readers = subscriptions
        .filter((s) => shortName(String((s.props as { topic?: unknown }).topic ?? "")) === id)
        .map(idOf);
      if (!texts.some((t) => [id, ...readers].some((name) => mentions(t, name)))) {
        reportViolation(
          `${describe(r)} has no alert: add an alert policy on pubsub.googleapis.com/topic/send_message_operation_count ` +
            `for topic_id "${id}"` +
            (readers.length > 0
              ? ` or on subscription/num_undelivered_messages for subscription_id "${readers[0]}".`
              : "."),
          r.urn,
        );
      }
    }
  },
};

export const sloDefined: StackValidationPolicy = {
  name: "slo-defined",
  description:
    "A stack that consumes a stream or serves a model defines at least one SLO (data freshness, correctness): " +
    "alerts then page on user-visible failure, not on every blip.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const serves = args.resources.some((r) => {
      const sub = propsOf(r, GCP.subscription);
      return (sub !== undefined && deliveryOf(sub) === "pull") || r.type === GCP.endpoint;
    });
    if (!serves) return args.notApplicable("consumes no stream and serves no model");
    if (!args.resources.some((r) => r.type === GCP.slo)) {
      reportViolation(
        "The stack defines no SLO: add a gcp.monitoring.Slo, e.g. data freshness (90% of predictions within " +
          "3 minutes of their event).",
      );
    }
  },
};
