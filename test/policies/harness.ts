/**
 * Runs policies the way the offline plan does (through `runPolicies`), over resources
 * built by hand: one compliant fixture per type, changed one property at a time.
 */
import type { PolicyPackConfig } from "@pulumi/policy";
import { platformPolicies, runPolicies, type PlannedResource, type Violation } from "../../policies/src";

export function planned(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  stack = "prod",
): PlannedResource {
  return { urn: `urn:pulumi:${stack}::streaming-inference::${type}::${name}`, type, name, inputs };
}

function policyNamed(name: string) {
  const policy = platformPolicies.find((p) => p.name === name);
  if (!policy) throw new Error(`no policy named ${name}`);
  return policy;
}

/** The messages one policy reports on `resources`. */
export async function messagesOf(
  policy: string,
  resources: PlannedResource | PlannedResource[],
  config?: PolicyPackConfig,
): Promise<string[]> {
  const violations = await runPolicies([resources].flat(), { policies: [policyNamed(policy)], config });
  return violations.map((v) => v.message);
}

/** Every violation of every resource policy (stack policies need a whole stack). */
export async function resourceViolations(
  resources: PlannedResource | PlannedResource[],
): Promise<Violation[]> {
  const policies = platformPolicies.filter((p) => !("validateStack" in p));
  return runPolicies([resources].flat(), { policies });
}

/** A copy of `resource` with the input at `path` (dotted, `a.b.0.c`) set, or removed when `value` is undefined. */
export function withInput(resource: PlannedResource, path: string, value: unknown): PlannedResource {
  const inputs = structuredClone(resource.inputs);
  const keys = path.split(".");
  const last = keys.pop() as string;
  let target: Record<string, unknown> = inputs;
  for (const key of keys) {
    target[key] ??= {};
    target = target[key] as Record<string, unknown>;
  }
  if (value === undefined) delete target[last];
  else target[last] = value;
  return { ...resource, inputs };
}

/** The same resource under another logical name (and URN). */
export function renamed(resource: PlannedResource, name: string): PlannedResource {
  return { ...resource, name, urn: resource.urn.replace(/::[^:]+$/, `::${name}`) };
}
