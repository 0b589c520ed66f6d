/**
 * Stack policy: every metric an SLO, an alert policy or a dashboard names exists when they
 * are created. Cloud Monitoring rejects an SLO whose filter names a metric without a
 * descriptor ("Invalid SLO definition: The metric referenced by the provided filter is
 * unknown", GoogleCloudPlatform/cloud-ops-sandbox#896), and an alert policy likewise
 * (world-federation-of-advertisers/cross-media-measurement#4350). A metric that a workload
 * creates by writing it does not exist on a fresh project's first `pulumi up`. So each metric
 * type must be a Google Cloud built-in (builtInMetrics.ts) or declared by a
 * `gcp.monitoring.MetricDescriptor` in the stack that the user waits for.
 *
 * Declared descriptors are held to the API's rules: a user-definable domain, a relative name
 * of letters, digits, `_`, `.` and `/` up to 100 characters, and label keys matching
 * `[a-zA-Z][a-zA-Z0-9_]*` (the provider's MetricDescriptor schema, magic-modules
 * mmv1/products/monitoring/MetricDescriptor.yaml).
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { BUILT_IN_METRICS, USER_METRIC_DOMAINS, WRITE_CREATED_DOMAIN } from "./builtInMetrics";
import { GCP, describe, propsOf, type ResourceView } from "./resources";

const METRIC_TYPE = /metric\.type\s*=\s*"([^"]+)"/g;
const RELATIVE_NAME = /^[A-Za-z0-9_./]{1,100}$/;
const LABEL_KEY = /^[a-zA-Z][a-zA-Z0-9_]{0,99}$/;

/** Every string inside a value, objects and arrays walked. */
function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}

/** The metric types a resource's filters name: an SLO's or alert's inputs, a dashboard's JSON. */
export function metricTypesNamed(resource: ResourceView): string[] {
  let texts: string[] = [];
  if (resource.type === GCP.slo || resource.type === GCP.alertPolicy) {
    texts = stringsIn(resource.props);
  } else if (resource.type === GCP.dashboard) {
    const json = propsOf(resource, GCP.dashboard)?.dashboardJson;
    texts = typeof json === "string" ? stringsIn(JSON.parse(json)) : [];
  }
  const types = texts.flatMap((t) => [...t.matchAll(METRIC_TYPE)].map((m) => m[1] as string));
  return [...new Set(types)];
}

/** True when `resource` waits for `target`, directly or through what it waits for. */
function waitsFor(resource: PolicyResource, target: PolicyResource): boolean {
  const seen = new Set<string>();
  const stack = [...resource.dependencies];
  while (stack.length > 0) {
    const next = stack.pop() as PolicyResource;
    if (next.urn === target.urn) return true;
    if (seen.has(next.urn)) continue;
    seen.add(next.urn);
    stack.push(...next.dependencies);
  }
  return false;
}

/** What is wrong with a declared descriptor, per the API's rules; empty when nothing. */
export function descriptorProblems(type: string, labelKeys: string[]): string[] {
  const domain = USER_METRIC_DOMAINS.find((d) => type.startsWith(d));
  const problems: string[] = [];
  if (!domain) {
    problems.push(
      `its type "${type}" is not in a domain a project can declare (${USER_METRIC_DOMAINS.join(", ")})`,
    );
  } else if (!RELATIVE_NAME.test(type.slice(domain.length))) {
    problems.push(
      `the name after "${domain}" must be 1-100 letters, digits, "_", "." or "/" (got "${type.slice(domain.length)}")`,
    );
  }
  for (const key of labelKeys.filter((k) => !LABEL_KEY.test(k))) {
    problems.push(`label key "${key}" does not match [a-zA-Z][a-zA-Z0-9_]*`);
  }
  return problems;
}

export const monitoringMetricsExist: StackValidationPolicy = {
  name: "monitoring-metrics-exist",
  description:
    "Every metric type an SLO, alert policy or dashboard filters on is a Google Cloud built-in or is declared " +
    "by a MetricDescriptor in the stack that the user depends on: Cloud Monitoring rejects SLOs and alerts on " +
    "metrics nobody has written yet, which is every workload metric on a fresh project.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const descriptors = new Map<string, PolicyResource>();
    for (const r of args.resources) {
      const d = propsOf(r, GCP.metricDescriptor);
      if (!d) continue;
      const type = String(d.type);
      descriptors.set(type, r);
      const problems = descriptorProblems(
        type,
        (d.labels ?? []).map((l) => String(l.key)),
      );
      for (const problem of problems) {
        reportViolation(`${describe(r)} cannot be created: ${problem}.`, r.urn);
      }
    }
    for (const r of args.resources) {
      for (const type of metricTypesNamed(r)) {
        if (BUILT_IN_METRICS.has(type)) continue;
        const descriptor = descriptors.get(type);
        if (descriptor && waitsFor(r, descriptor)) continue;
        if (descriptor) {
          reportViolation(
            `${describe(r)} filters on "${type}" but does not wait for ${describe(descriptor)}: add it to ` +
              "dependsOn, or the first `pulumi up` may create them in parallel and the filter is rejected.",
            r.urn,
          );
        } else if (type.startsWith(WRITE_CREATED_DOMAIN)) {
          reportViolation(
            `${describe(r)} filters on "${type}", which exists only after its first write (Managed Prometheus / ` +
              "OTLP without a domain) and cannot be declared ahead: export it under workload.googleapis.com/ " +
              "and declare a MetricDescriptor for it.",
            r.urn,
          );
        } else {
          reportViolation(
            `${describe(r)} filters on "${type}", which is neither a Google Cloud built-in ` +
              "(policies/src/builtInMetrics.ts) nor declared by a MetricDescriptor in the stack: declare one " +
              "and add it to this resource's dependsOn, or the first `pulumi up` fails with \"The metric " +
              'referenced by the provided filter is unknown".',
            r.urn,
          );
        }
      }
    }
  },
};
