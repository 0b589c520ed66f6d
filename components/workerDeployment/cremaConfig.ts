/**
 * The configuration CREMA reads (`CremaConfig`, a list of KEDA ScaledObjects), rendered
 * for one worker pool scaled on one Pub/Sub subscription, and checked as strictly as
 * CREMA and KEDA check it. Sources (GoogleCloudPlatform/cloud-run-external-metrics-
 * autoscaling): metric-provider/api/crema_config.go and api/README.md (the format),
 * internal/config/provider.go (`yaml.UnmarshalStrict`: unknown fields are errors; the
 * defaults), internal/config/validator.go (the rules), scaler/.../WorkloadInfoParser.java
 * (the target's name); and KEDA v2.20.2 (CREMA 1.2 ships KEDA v2.20): apis/keda/v1alpha1
 * ScaleTriggers (`metadata` is map[string]string, `metricType`), pkg/scalers/
 * gcp_stackdriver_scaler.go (the trigger's keys, `alignmentPeriodSeconds >= 60`) and
 * pkg/scalers/gcp/gcp_stackdriver_client.go (the aligner/reducer names, `valueIfNull`,
 * `filterDuration` in minutes, default 2).
 *
 * Two triggers, both KEDA's `gcp-stackdriver` scaler reading Cloud Monitoring (KEDA
 * deprecated `gcp-pubsub`; keda.sh/blog/2025-09-15-gcp-deprecations):
 * - `subscription/num_undelivered_messages`, an AverageValue target: `ceil(backlog /
 *   targetBacklogPerInstance)` instances;
 * - `subscription/oldest_unacked_message_age`, a Value target: `ceil(instances x age /
 *   target age)`, so a backlog that ages (slow work, not many messages) still adds instances.
 * CREMA takes the highest recommendation of its triggers (Scaler.java).
 */
import { z } from "zod";
import { subscriptionFilter } from "../observability/filters";
import { SCALE_DOWN_POLICY, SCALE_UP_POLICY } from "./backlogScaling";

/** Seconds between CREMA's polls (`spec.pollingInterval`); Pub/Sub metrics are sampled every 60 s. */
export const CREMA_POLLING_SECONDS = 30;

/** The trigger authentication that uses CREMA's own service account (KEDA `podIdentity: gcp`). */
export const CREMA_AUTH_NAME = "crema-service-account";

/**
 * Oldest unacked message age, seconds, above which the age trigger adds instances in
 * proportion. Two polling intervals of the metric (sampled every 60 s): younger than this,
 * the backlog trigger alone decides.
 */
export const TARGET_OLDEST_UNACKED_SECONDS = 120;

/**
 * How far back the scaler reads, minutes (`filterDuration`). Pub/Sub metrics are sampled
 * every 60 s and visible up to 120 s later (cloud.google.com/monitoring/api/metrics_gcp,
 * pubsub), so the newest point can be 3 minutes old: KEDA's default window of 2 minutes
 * can hold no point at all and read as "no data". 5 minutes always holds one.
 */
export const METRIC_WINDOW_MINUTES = 5;

export interface BacklogScalerSpec {
  projectId: string;
  /** Region of the worker pool (and of the subscription it consumes). */
  region: string;
  /** Worker pool name (short). */
  workerPoolName: string;
  /** Input subscription name (short) whose backlog drives the pool. */
  subscriptionName: string;
  targetBacklogPerInstance: number;
  minInstances: number;
  maxInstances: number;
  /** Scale-down stabilization window, seconds. */
  cooldownSeconds: number;
}

// ---- The twin of CREMA's reader: strict objects (UnmarshalStrict), KEDA's string metadata. ----

/** `projects/P/locations/L/worker[Pp]ools/N` (WorkloadInfoParser.WORKERPOOL_PATTERN). */
const WORKER_POOL_REF = /^projects\/[^/]+\/locations\/[^/]+\/worker[Pp]ools\/[^/]+$/;
/** KEDA trigger metadata is `map[string]string`: a number there fails to unmarshal. */
const numeric = z.string().regex(/^\d+(\.\d+)?$/, "must be a number written as a string");
const wholeNumber = z.string().regex(/^\d+$/, "must be a whole number written as a string");
/** gcp_stackdriver_client.go alignerFromString / reducerFromString (case-insensitive there). */
const ALIGNERS = [
  "none",
  "delta",
  "rate",
  "interpolate",
  "next_older",
  "min",
  "max",
  "mean",
  "count",
  "sum",
  "stddev",
  "count_true",
  "count_false",
  "fraction_true",
  "percentile_99",
  "percentile_95",
  "percentile_50",
  "percentile_05",
  "percent_change",
] as const;
const REDUCERS = [
  "none",
  "mean",
  "min",
  "max",
  "sum",
  "stddev",
  "count",
  "count_true",
  "count_false",
  "fraction_true",
  "percentile_99",
  "percentile_95",
  "percentile_50",
  "percentile_05",
] as const;

const policy = z.strictObject({
  type: z.enum(["Pods", "Percent"]),
  value: z.number().int().positive(),
  periodSeconds: z.number().int().min(1).max(1800),
});
const scalingRules = z.strictObject({
  stabilizationWindowSeconds: z.number().int().min(0).max(3600),
  selectPolicy: z.enum(["Max", "Min", "Disabled"]),
  policies: z.array(policy).min(1),
});

/** gcp_stackdriver_scaler.go `stackdriverMetadata`: the keys this platform sends (credentials come from podIdentity). */
const stackdriverTrigger = z.strictObject({
  type: z.literal("gcp-stackdriver"),
  name: z.string().min(1),
  /** KEDA GetMetricTargetType: AverageValue when unset; Utilization is refused. */
  metricType: z.enum(["AverageValue", "Value"]).optional(),
  metadata: z
    .strictObject({
      projectId: z.string().min(1),
      filter: z
        .string()
        .regex(/metric\.type\s*=\s*"[^"]+"/, 'must name a metric.type="..."')
        .regex(
          // Pub/Sub ids start with a letter: [A-Za-z][A-Za-z0-9-_.~+%]* (Pub/Sub resource names).
          /resource\.type="pubsub_subscription" resource\.label\.subscription_id="[a-zA-Z][a-zA-Z0-9-_~%+.]*"$/,
          "must select one pubsub_subscription by a valid subscription_id",
        ),
      targetValue: numeric,
      activationTargetValue: numeric,
      valueIfNull: numeric,
      filterDuration: wholeNumber,
      alignmentPeriodSeconds: wholeNumber,
      alignmentAligner: z.enum(ALIGNERS),
      alignmentReducer: z.enum(REDUCERS),
    })
    .refine((m) => Number(m.alignmentPeriodSeconds) >= 60, {
      message: "alignmentPeriodSeconds must be at least 60",
      path: ["alignmentPeriodSeconds"],
    })
    .refine((m) => Number(m.targetValue) > 0, {
      // Scaler.java skips a trigger whose target is 0.
      message: "targetValue must be above 0: CREMA skips a trigger with a zero target",
      path: ["targetValue"],
    }),
  authenticationRef: z.strictObject({ name: z.string().min(1) }),
});

export const cremaConfigSchema = z
  .strictObject({
    apiVersion: z.literal("crema/v1"),
    kind: z.literal("CremaConfig"),
    spec: z.strictObject({
      pollingInterval: z.number().int().min(1),
      triggerAuthentications: z.array(
        z.strictObject({
          metadata: z.strictObject({ name: z.string().min(1) }),
          spec: z.strictObject({ podIdentity: z.strictObject({ provider: z.literal("gcp") }) }),
        }),
      ),
      scaledObjects: z
        .array(
          z.strictObject({
            spec: z.strictObject({
              scaleTargetRef: z.strictObject({ name: z.string().regex(WORKER_POOL_REF) }),
              minReplicaCount: z.number().int().min(0),
              maxReplicaCount: z.number().int().min(1),
              triggers: z.array(stackdriverTrigger).min(1),
              advanced: z.strictObject({
                horizontalPodAutoscalerConfig: z.strictObject({
                  behavior: z.strictObject({ scaleDown: scalingRules, scaleUp: scalingRules }),
                }),
              }),
            }),
          }),
        )
        .min(1, "must have at least one scaled object"),
    }),
  })
  .superRefine((c, ctx) => {
    // validator.go: trigger authentication names are unique, and every authenticationRef names one.
    const names = c.spec.triggerAuthentications.map((a) => a.metadata.name);
    if (new Set(names).size !== names.length) {
      ctx.addIssue({
        code: "custom",
        path: ["spec", "triggerAuthentications"],
        message: "names must be unique",
      });
    }
    c.spec.scaledObjects.forEach((so, i) => {
      if (so.spec.minReplicaCount > so.spec.maxReplicaCount) {
        ctx.addIssue({
          code: "custom",
          path: ["spec", "scaledObjects", i],
          message: "minReplicaCount > maxReplicaCount",
        });
      }
      so.spec.triggers.forEach((t, j) => {
        if (!names.includes(t.authenticationRef.name)) {
          ctx.addIssue({
            code: "custom",
            path: ["spec", "scaledObjects", i, "spec", "triggers", j, "authenticationRef", "name"],
            message: `trigger authentication "${t.authenticationRef.name}" not found`,
          });
        }
      });
    });
  });

export type CremaConfig = z.output<typeof cremaConfigSchema>;

/** Checks a config the way CREMA would; throws with every problem. */
export function checkCremaConfig(config: unknown): CremaConfig {
  const result = cremaConfigSchema.safeParse(config);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`CREMA would reject this config:\n  ${problems.join("\n  ")}`);
  }
  return result.data;
}

/** The full name CREMA scales (`scaleTargetRef.name`). */
export function workerPoolRef(s: Pick<BacklogScalerSpec, "projectId" | "region" | "workerPoolName">): string {
  return `projects/${s.projectId}/locations/${s.region}/workerPools/${s.workerPoolName}`;
}

/** The CremaConfig scaling one pool on one subscription's backlog; checked before it is returned. */
export function cremaConfigOf(s: BacklogScalerSpec): CremaConfig {
  const period = (periodSeconds: number) => ({ periodSeconds });
  return checkCremaConfig({
    apiVersion: "crema/v1",
    kind: "CremaConfig",
    spec: {
      pollingInterval: CREMA_POLLING_SECONDS,
      triggerAuthentications: [
        { metadata: { name: CREMA_AUTH_NAME }, spec: { podIdentity: { provider: "gcp" } } },
      ],
      scaledObjects: [
        {
          spec: {
            scaleTargetRef: { name: workerPoolRef(s) },
            minReplicaCount: s.minInstances,
            maxReplicaCount: s.maxInstances,
            triggers: [
              stackdriverTriggerOf(s, {
                name: "input-backlog",
                metric: "undelivered",
                metricType: "AverageValue",
                targetValue: s.targetBacklogPerInstance,
              }),
              stackdriverTriggerOf(s, {
                name: "input-oldest-age",
                metric: "oldestUnackedAge",
                metricType: "Value",
                targetValue: TARGET_OLDEST_UNACKED_SECONDS,
              }),
            ],
            advanced: {
              horizontalPodAutoscalerConfig: {
                behavior: {
                  scaleDown: {
                    stabilizationWindowSeconds: s.cooldownSeconds,
                    selectPolicy: "Min",
                    policies: [
                      {
                        type: "Percent",
                        value: SCALE_DOWN_POLICY.percent,
                        ...period(SCALE_DOWN_POLICY.periodSeconds),
                      },
                    ],
                  },
                  scaleUp: {
                    stabilizationWindowSeconds: 0,
                    selectPolicy: "Max",
                    policies: [
                      {
                        type: "Percent",
                        value: SCALE_UP_POLICY.percent,
                        ...period(SCALE_UP_POLICY.periodSeconds),
                      },
                      {
                        type: "Pods",
                        value: SCALE_UP_POLICY.instances,
                        ...period(SCALE_UP_POLICY.periodSeconds),
                      },
                    ],
                  },
                },
              },
            },
          },
        },
      ],
    },
  });
}

/** One gcp-stackdriver trigger on a metric of the pool's input subscription. */
function stackdriverTriggerOf(
  s: Pick<BacklogScalerSpec, "projectId" | "subscriptionName">,
  t: {
    name: string;
    metric: "undelivered" | "oldestUnackedAge";
    metricType: "AverageValue" | "Value";
    targetValue: number;
  },
) {
  return {
    type: "gcp-stackdriver",
    name: t.name,
    metricType: t.metricType,
    metadata: {
      projectId: s.projectId,
      filter: subscriptionFilter(t.metric, s.subscriptionName),
      targetValue: String(t.targetValue),
      // CREMA does not act on activation (its ScaleRequest carries no activity: proto/
      // scaler.proto); 0 keeps KEDA's meaning: any backlog is activity.
      activationTargetValue: "0",
      // No series yet (a new or idle subscription) reads as 0, not an error: the pool goes
      // to its floor (ceil(0 / target) clamped to minReplicaCount) instead of CREMA skipping
      // the trigger (state_provider.go drops a trigger that errors).
      valueIfNull: "0",
      filterDuration: String(METRIC_WINDOW_MINUTES),
      // The highest value in each minute, newest minute first (ListTimeSeries returns the
      // newest point first; the scaler reads points[0]).
      alignmentPeriodSeconds: "60",
      alignmentAligner: "max",
      alignmentReducer: "max",
    },
    authenticationRef: { name: CREMA_AUTH_NAME },
  };
}

/** The subscription id each trigger of each scaled object reads (its filter's `subscription_id`). */
export function triggerSubscriptionIds(config: CremaConfig): string[][] {
  return config.spec.scaledObjects.map((so) =>
    so.spec.triggers.map((t) => /subscription_id="([^"]*)"/.exec(t.metadata.filter)?.[1] ?? ""),
  );
}
