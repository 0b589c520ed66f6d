/**
 * The configuration CREMA reads (`CremaConfig`, a list of KEDA ScaledObjects), rendered
 * for one worker pool scaled on one Pub/Sub subscription's backlog, and checked as
 * strictly as CREMA checks it. Sources (GoogleCloudPlatform/cloud-run-external-metrics-
 * autoscaling): metric-provider/api/crema_config.go and api/README.md (the format),
 * internal/config/provider.go (`yaml.UnmarshalStrict`: unknown fields are errors; the
 * defaults), internal/config/validator.go (the rules), scaler/.../WorkloadInfoParser.java
 * (the target's name), and KEDA v2.20 pkg/scalers/gcp_pubsub_scaler.go (the trigger).
 */
import { z } from "zod";
import { SCALE_DOWN_POLICY, SCALE_UP_POLICY } from "./backlogScaling";

/** Seconds between CREMA's polls (`spec.pollingInterval`); Pub/Sub metrics are sampled every 60 s. */
export const CREMA_POLLING_SECONDS = 30;

/** The trigger authentication that uses CREMA's own service account (KEDA `podIdentity: gcp`). */
export const CREMA_AUTH_NAME = "crema-service-account";

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
/** KEDA gcp_pubsub_scaler.go `compositeSubscriptionIDPrefix`, for a subscription. */
const SUBSCRIPTION_REF =
  /^projects\/[a-z][a-zA-Z0-9-]*[a-zA-Z0-9]\/subscriptions\/[a-zA-Z][a-zA-Z0-9-_~%+.]*$/;
/** KEDA trigger metadata is `map[string]string`: a number there fails to unmarshal. */
const numeric = z.string().regex(/^\d+(\.\d+)?$/, "must be a number written as a string");

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

const pubsubTrigger = z.strictObject({
  type: z.literal("gcp-pubsub"),
  name: z.string().min(1),
  metadata: z.strictObject({
    subscriptionName: z.string().regex(SUBSCRIPTION_REF, "must be projects/<project>/subscriptions/<name>"),
    mode: z.literal("SubscriptionSize"),
    value: numeric,
    activationValue: numeric,
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
              triggers: z.array(pubsubTrigger).min(1),
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
              {
                type: "gcp-pubsub",
                name: "input-backlog",
                metadata: {
                  // The full name carries the project: CREMA's account needs no default project.
                  subscriptionName: `projects/${s.projectId}/subscriptions/${s.subscriptionName}`,
                  mode: "SubscriptionSize", // subscription/num_undelivered_messages
                  value: String(s.targetBacklogPerInstance),
                  activationValue: "0",
                },
                authenticationRef: { name: CREMA_AUTH_NAME },
              },
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
