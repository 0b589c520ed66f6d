/**
 * A backlog autoscaler (CREMA) must read the backlog of the subscription its own worker
 * pool consumes: one that is a typo, another stack's, or the failover standby's would
 * scale the pool on a number unrelated to its work. CREMA's configuration is the payload
 * of a Parameter Manager parameter version (`kind: CremaConfig`, JSON or YAML; the
 * platform writes JSON), listing scaled objects with a target and Pub/Sub triggers (`gcp-stackdriver` on a
 * subscription metric, or the older `gcp-pubsub`).
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { WORKER_ENV } from "../../contract";
import { GCP, describe, propsOf } from "./resources";
import { shortName } from "./subscriptions";

export interface CremaTarget {
  pool: string;
  subscriptions: string[];
  /** The scaled object's `maxReplicaCount`; undefined when unset (CREMA then applies 100). */
  maxReplicaCount?: unknown;
}

/** Targets and Pub/Sub subscriptions of a CremaConfig payload; undefined when it is not one (or unknown yet). */
export function cremaTargets(payload: unknown): CremaTarget[] | undefined {
  if (typeof payload !== "string") return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(payload);
  } catch {
    return undefined;
  }
  const config = doc as {
    kind?: string;
    spec?: {
      scaledObjects?: {
        spec?: { scaleTargetRef?: { name?: string }; triggers?: unknown[]; maxReplicaCount?: unknown };
      }[];
    };
  };
  if (config.kind !== "CremaConfig") return undefined;
  return (config.spec?.scaledObjects ?? []).map((so) => ({
    pool: so.spec?.scaleTargetRef?.name ?? "",
    maxReplicaCount: so.spec?.maxReplicaCount,
    subscriptions: (so.spec?.triggers ?? []).flatMap(triggerSubscription),
  }));
}

/**
 * The subscription a Pub/Sub trigger reads: `gcp-pubsub` names it (`subscriptionName`),
 * `gcp-stackdriver` selects it in its Cloud Monitoring filter (`subscription_id` label).
 * Other triggers read no subscription.
 */
function triggerSubscription(trigger: unknown): string[] {
  const t = trigger as { type?: string; metadata?: { subscriptionName?: string; filter?: string } };
  if (t.type === "gcp-pubsub") return [t.metadata?.subscriptionName ?? ""];
  if (t.type !== "gcp-stackdriver" || !/pubsub_subscription/.test(t.metadata?.filter ?? "")) return [];
  const id = /resource\.labels?\.subscription_id\s*=\s*"([^"]*)"/.exec(t.metadata?.filter ?? "");
  return [id?.[1] ?? ""];
}

/** `projects/p/locations/l/workerPools/n` -> subscription the pool's worker reads. */
function poolSubscriptions(resources: PolicyResource[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of resources) {
    const pool = propsOf(r, GCP.workerPool);
    if (!pool) continue;
    const env = (pool.template?.containers ?? []).flatMap((c) => c.envs ?? []);
    const sub = env.find((e) => e.name === WORKER_ENV.subscription)?.value;
    const name = typeof pool.name === "string" ? shortName(pool.name) : r.name;
    if (sub) out.set(`${String(pool.location)}/${name}`, shortName(sub));
  }
  return out;
}

/** `projects/p/locations/l/worker[Pp]ools/n` -> `l/n`. */
function poolKey(ref: string): string | undefined {
  const m = /^projects\/[^/]+\/locations\/([^/]+)\/worker[Pp]ools\/([^/]+)$/.exec(ref);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

export const backlogAutoscalerInputSubscription: StackValidationPolicy = {
  name: "backlog-autoscaler-input-subscription",
  description:
    "Every backlog autoscaler (a CREMA configuration) scales a worker pool of this stack on the backlog of " +
    "the input subscription that same pool consumes (its SI_INPUT_SUBSCRIPTION), never on another " +
    "subscription such as the failover standby's.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const pools = poolSubscriptions(args.resources);
    const subscriptions = new Set(
      args.resources
        .filter((r) => propsOf(r, GCP.subscription))
        .map((r) => shortName(String((r.props as { name?: string }).name ?? r.name))),
    );
    for (const r of args.resources) {
      const version = propsOf(r, GCP.parameterVersion);
      const targets = version && cremaTargets(version.parameterData);
      if (!targets) continue;
      for (const t of targets) {
        const key = poolKey(t.pool);
        const consumed = key ? pools.get(key) : undefined;
        if (!consumed) {
          reportViolation(
            `${describe(r)} scales ${t.pool || "(no target)"}, which is not a worker pool of this stack.`,
            r.urn,
          );
          continue;
        }
        for (const sub of t.subscriptions) {
          const id = shortName(sub);
          if (!subscriptions.has(id)) {
            reportViolation(
              `${describe(r)} reads subscription ${sub}, which is not a subscription of this stack: point it at ${consumed}.`,
              r.urn,
            );
          } else if (id !== consumed) {
            reportViolation(
              `${describe(r)} scales ${t.pool} on ${id}, but that pool consumes ${consumed}: point the trigger at ${consumed}.`,
              r.urn,
            );
          }
        }
        if (t.subscriptions.length === 0) {
          reportViolation(
            `${describe(r)} scales ${t.pool} with no Pub/Sub trigger: add one on ${consumed}.`,
            r.urn,
          );
        }
      }
    }
  },
};
