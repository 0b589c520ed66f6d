/**
 * Runs the policy pack without the Pulumi CLI, over resources recorded by the mock
 * runtime (the offline plan, the tests). It builds the same arguments the policy SDK's
 * analyzer builds - `isType` by type token, `notApplicable()` throwing, `getConfig`
 * from the pack config, props behind the unknown-checking proxy - and applies the pack
 * config's enforcement levels the way the CLI does.
 */
import type {
  EnforcementLevel,
  Policies,
  Policy,
  PolicyPackConfig,
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { UnknownValueError, unknownCheckingProxy } from "./sdkInternals";
import * as pulumi from "@pulumi/pulumi";
import { platformPolicies } from "./guardrails";

/** A resource as the offline plan records it. */
export interface PlannedResource {
  urn: string;
  /** Type token, e.g. `gcp:pubsub/topic:Topic`. */
  type: string;
  /** Logical (Pulumi) name. */
  name: string;
  /** URN of the parent resource, if any. */
  parent?: string;
  /** Inputs as registered (secrets unwrapped). */
  inputs: Record<string, unknown>;
  /** Provider reference as the engine passes it (`<provider urn>::<id>`), if recorded. */
  provider?: string;
  /** URNs of the resources this one depends on, if recorded. */
  dependencies?: string[];
}

export interface Violation {
  /** Policy name, e.g. `cmek-required`. */
  policy: string;
  /** `mandatory` blocks a deployment; `advisory` is reported only. */
  level: "advisory" | "mandatory";
  /** URN of the resource in violation; undefined when the stack as a whole is. */
  resource?: string;
  message: string;
}

export interface RunOptions {
  /** Defaults to the platform's guardrails. */
  policies?: Policies;
  /** As in `pulumi up --policy-pack-config`: per policy an enforcement level, or settings with one. */
  config?: PolicyPackConfig;
}

class NotApplicable extends Error {}

const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

/** `isType` of the SDK: compares the class's type token (or asks its `isInstance`). */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const cls = resourceClass as { __pulumiType?: string; isInstance?: (o: unknown) => boolean };
  if (typeof cls.__pulumiType === "string") return cls.__pulumiType === type;
  return typeof cls.isInstance === "function" && cls.isInstance({ __pulumiType: type }) === true;
}

/** Replaces the mock runtime's unknowns by the engine's sentinel, which the SDK's proxy recognises. */
function withSentinels(value: unknown): unknown {
  if (pulumi.Output.isInstance(value) || pulumi.isUnknown(value)) return pulumi.runtime.unknownValue;
  if (Array.isArray(value)) return value.map(withSentinels);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withSentinels(v)]));
}

interface PolicySetup {
  level: EnforcementLevel;
  settings: Record<string, unknown>;
}

/** Enforcement level and settings of `policy` under `config` (the `all` entry sets every level). */
function setupOf(policy: Policy, config: PolicyPackConfig): PolicySetup {
  const entry = config[policy.name];
  const all = config["all"];
  const allLevel = typeof all === "string" ? all : all?.enforcementLevel;
  if (typeof entry === "string") return { level: entry, settings: {} };
  const { enforcementLevel, ...settings } = entry ?? {};
  return { level: enforcementLevel ?? allLevel ?? policy.enforcementLevel ?? "advisory", settings };
}

const OPTIONS = (parent?: string): PolicyResourceOptions => ({
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
  parent,
});

/** Runs every enabled policy over `resources`; resolves to the violations, in policy order per resource. */
export async function runPolicies(
  resources: readonly PlannedResource[],
  options: RunOptions = {},
): Promise<Violation[]> {
  const policies = options.policies ?? platformPolicies;
  const config = options.config ?? {};
  const violations: Violation[] = [];
  const stackTags = new Map<string, string>();

  const run = async (
    policy: Policy,
    level: EnforcementLevel,
    subject: string | undefined,
    validate: (report: (message: string, urn?: string) => void) => unknown,
  ) => {
    // Like the CLI: a remediation that still fails validation counts as mandatory.
    const reported: Violation["level"] = level === "advisory" ? "advisory" : "mandatory";
    try {
      await validate((message, urn) =>
        violations.push({ policy: policy.name, level: reported, resource: urn ?? subject, message }),
      );
    } catch (err) {
      if (err instanceof NotApplicable) return;
      if (err instanceof UnknownValueError) {
        violations.push({
          policy: policy.name,
          level: "advisory",
          resource: subject,
          message: `can't run policy ${policy.name} during preview: ${err.message}`,
        });
        return;
      }
      throw new Error(
        `policy ${policy.name} failed on ${subject ?? "the stack"}: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
  };

  const views = resources.map((r) => ({
    resource: r,
    props: unknownCheckingProxy(withSentinels(r.inputs)) as Record<string, unknown>,
  }));
  const providerOf = providerLookup(views);

  for (const policy of policies) {
    const { level, settings } = setupOf(policy, config);
    if (level === "disabled") continue;
    const base = { getConfig: <T extends object>() => settings as T, notApplicable };

    const validations = (policy as ResourceValidationPolicy).validateResource;
    for (const validate of validations === undefined ? [] : [validations].flat()) {
      for (const { resource, props } of views) {
        const args: ResourceValidationArgs = {
          ...base,
          type: resource.type,
          name: resource.name,
          urn: resource.urn,
          props,
          opts: OPTIONS(resource.parent),
          stackTags,
          isType: (cls) => isTypeOf(resource.type, cls),
          asType: ((cls: unknown) => (isTypeOf(resource.type, cls) ? props : undefined)) as never,
          provider: providerOf(resource),
        };
        await run(policy, level, resource.urn, (report) => validate(args, report));
      }
    }

    const validateStack = (policy as StackValidationPolicy).validateStack;
    if (validateStack) {
      const args: StackValidationArgs = { ...base, resources: stackResources(views, providerOf), stackTags };
      await run(policy, level, undefined, (report) => validateStack(args, report));
    }
  }
  return violations;
}

type View = { resource: PlannedResource; props: Record<string, unknown> };

/** Resolves a resource's provider reference to the provider resource, as `args.provider`. */
function providerLookup(views: readonly View[]): (r: PlannedResource) => PolicyProviderResource | undefined {
  const byUrn = new Map(views.map((v) => [v.resource.urn, v]));
  return (r) => {
    // `<urn>::<id>`: the id is the last segment, and URNs contain `::` themselves.
    const urn = r.provider?.slice(0, r.provider.lastIndexOf("::"));
    const found = urn ? byUrn.get(urn) : undefined;
    return found
      ? { type: found.resource.type, name: found.resource.name, urn: found.resource.urn, props: found.props }
      : undefined;
  };
}

/** The stack as `validateStack` sees it, parents and dependencies linked. */
function stackResources(
  views: readonly View[],
  providerOf: (r: PlannedResource) => PolicyProviderResource | undefined,
): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const all = views.map(({ resource, props }) => {
    const policyResource: PolicyResource = {
      type: resource.type,
      name: resource.name,
      urn: resource.urn,
      props,
      opts: OPTIONS(resource.parent),
      dependencies: [],
      propertyDependencies: {},
      provider: providerOf(resource),
      isType: (cls) => isTypeOf(resource.type, cls),
      asType: ((cls: unknown) => (isTypeOf(resource.type, cls) ? props : undefined)) as never,
    };
    byUrn.set(resource.urn, policyResource);
    return policyResource;
  });
  for (const [i, { resource }] of views.entries()) {
    const policyResource = all[i] as PolicyResource;
    const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
    if (parent) policyResource.parent = parent;
    policyResource.dependencies = (resource.dependencies ?? [])
      .map((urn) => byUrn.get(urn))
      .filter((d): d is PolicyResource => d !== undefined);
  }
  return all;
}
