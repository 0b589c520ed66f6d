/** Deletion protection on the stores of features and predictions, in production. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { settings } from "./policyConfig";
import { GCP, describe, propsOf } from "./resources";

export const protectionSettings = settings<{ environment: string; protectedEnvironments: string[] }>({
  environment: {
    type: "string",
    default: "",
    description:
      "Environment of resources without an env label (a Bigtable table takes no labels). Empty: the stack name.",
  },
  protectedEnvironments: {
    type: "array",
    items: { type: "string" },
    default: ["prod"],
    description: "Environments whose Bigtable and BigQuery data must be protected from deletion.",
  },
});

/** `urn:pulumi:<stack>::<project>::<type>::<name>` -> `<stack>`. */
function stackOf(urn: string): string | undefined {
  return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
}

export const deletionProtection: ResourceValidationPolicy = {
  name: "deletion-protection",
  description:
    "In production, Bigtable instances and tables and BigQuery tables have deletion protection: a mistaken " +
    "`pulumi destroy` or a replacing change must not drop the feature store or the prediction history. The " +
    "environment is the resource's env label, else the pack's `environment` setting, else the stack name.",
  enforcementLevel: "mandatory",
  configSchema: protectionSettings.schema,
  validateResource: (args, reportViolation) => {
    const instance = propsOf(args, GCP.bigtableInstance);
    const table = propsOf(args, GCP.bigtableTable);
    const bqTable = propsOf(args, GCP.bigqueryTable);
    if (!instance && !table && !bqTable) return args.notApplicable("holds no protected data");
    const config = protectionSettings.read(args);
    const label = (instance ?? bqTable)?.labels?.["env"];
    const env = label || config.environment || stackOf(args.urn) || "";
    if (!config.protectedEnvironments.includes(env)) return;
    // The provider protects Bigtable instances and BigQuery tables unless told otherwise.
    if ((instance ?? bqTable)?.deletionProtection === false) {
      reportViolation(
        `${describe(args)} is not protected from deletion in ${env}: set deletionProtection to true.`,
      );
    }
    if (table && table.deletionProtection !== "PROTECTED") {
      reportViolation(
        `${describe(args)} is not protected from deletion in ${env}: set deletionProtection to "PROTECTED".`,
      );
    }
  },
};
