/** Cost attribution: every resource that takes labels carries env, team and cost-center. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { settings } from "./policyConfig";
import { GCP, MODEL_DEPLOYMENTS, describe, type GcpArgs, type GcpType } from "./resources";

/** Type tokens whose `@pulumi/gcp` args have a `labels` map (checked by the compiler below). */
type LabelledType = { [K in GcpType]: "labels" extends keyof GcpArgs[K] ? K : never }[GcpType];

export const LABELLED_TYPES = [
  GCP.topic,
  GCP.subscription,
  GCP.bigtableInstance,
  GCP.dataset,
  GCP.bigqueryTable,
  GCP.endpoint,
  GCP.repository,
  GCP.workerPool,
  GCP.cloudRunService,
  GCP.cryptoKey,
  GCP.instance,
  GCP.instanceTemplate,
  GCP.regionInstanceTemplate,
  GCP.instanceFromTemplate,
  GCP.globalAddress,
] as const satisfies readonly LabelledType[];

/** Also the model deployment: its labels go on the uploaded Vertex AI model. */
const TAKES_LABELS: readonly string[] = [...LABELLED_TYPES, ...MODEL_DEPLOYMENTS];

export const labelSettings = settings<{ requiredLabels: string[] }>({
  requiredLabels: {
    type: "array",
    items: { type: "string" },
    default: ["env", "team", "cost-center"],
    description: "Label keys every labelled resource must carry, with a non-empty value.",
  },
});

/** The provider's `defaultLabels` apply to every resource it manages; the engine may pass them as JSON. */
function providerDefaultLabels(
  provider: { props: Record<string, unknown> } | undefined,
): Record<string, string> {
  const value = provider?.props["defaultLabels"];
  if (typeof value === "string") {
    try {
      return JSON.parse(value) as Record<string, string>;
    } catch {
      return {};
    }
  }
  return value && typeof value === "object" ? (value as Record<string, string>) : {};
}

export const requiredLabels: ResourceValidationPolicy = {
  name: "labels-required",
  description:
    "Every resource that takes labels carries env, team and cost-center (configurable): billing exports and " +
    "budgets attribute cost by these labels, and on-call finds the owning team by them.",
  enforcementLevel: "mandatory",
  configSchema: labelSettings.schema,
  validateResource: (args, reportViolation) => {
    if (!TAKES_LABELS.includes(args.type)) {
      return args.notApplicable("takes no labels");
    }
    const labels = {
      ...providerDefaultLabels(args.provider),
      ...((args.props as { labels?: Record<string, string> }).labels ?? {}),
    };
    const missing = labelSettings.read(args).requiredLabels.filter((key) => !labels[key]);
    if (missing.length > 0) {
      reportViolation(`${describe(args)} lacks label(s) ${missing.join(", ")}: add them to labels.`);
    }
  },
};
