/**
 * Policy configuration: each policy declares its settings once (JSON schema with
 * defaults, which `pulumi up --policy-pack-config` validates), and reads them with the
 * defaults applied, so a partial config file never leaves a setting undefined.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** The settings of one policy: a JSON schema per key, each with a default. */
export type SettingsSchema<T> = { [K in keyof T]: PolicyConfigJSONSchema & { default: T[K] } };

export interface PolicySettings<T> {
  /** For the policy's `configSchema`. */
  schema: PolicyConfigSchema;
  /** The defaults, for tests and documentation. */
  defaults: T;
  /** The settings in force: the configured values over the defaults. */
  read(args: { getConfig<C extends object>(): C }): T;
}

export function settings<T extends object>(properties: SettingsSchema<T>): PolicySettings<T> {
  const defaults = Object.fromEntries(
    Object.entries(properties).map(([key, schema]) => [key, (schema as { default: unknown }).default]),
  ) as T;
  return {
    schema: { properties: properties as Record<string, PolicyConfigJSONSchema> },
    defaults,
    read: (args) => ({ ...defaults, ...args.getConfig<Partial<T>>() }),
  };
}
