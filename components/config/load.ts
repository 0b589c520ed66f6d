/**
 * Reading the stack config: from the running Pulumi program, or from a
 * `Pulumi.<stack>.yaml` file (the offline plan and tests).
 */
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { CONFIG_NAMESPACE, ConfigError, toConfigError, type KeyStyle } from "./errors";
import { namespaceProblems, type NamespaceOptions } from "./namespaces";
import { platformConfigSchema, type PlatformConfig } from "./schema";

/** Validates a config object (keys without the namespace) and applies defaults. */
export function parsePlatformConfig(raw: unknown, style?: KeyStyle): PlatformConfig {
  const result = platformConfigSchema.safeParse(raw);
  if (!result.success) throw toConfigError(result.error, raw, platformConfigSchema, style);
  return result.data;
}

/**
 * Picks this project's keys out of a flat `namespace:key -> value` map, parsing the
 * JSON the Pulumi engine uses for structured values.
 */
export function projectKeys(all: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [fullKey, value] of Object.entries(all)) {
    const [ns, key] = fullKey.split(":", 2);
    if (ns !== CONFIG_NAMESPACE || key === undefined) continue;
    out[key] = typeof value === "string" ? tryJson(value) : value;
  }
  return out;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Validates a whole stack config (the flat `namespace:key -> value` map): the platform's keys,
 * and that no key sits in a namespace nothing reads (a misspelt `streaming-inferance:...`).
 * Every problem of both kinds in one `ConfigError`.
 */
export function parseStackConfig(
  all: Record<string, unknown>,
  options: NamespaceOptions = {},
): PlatformConfig {
  const misplaced = namespaceProblems(all, options);
  const raw = projectKeys(all);
  const result = platformConfigSchema.safeParse(raw);
  if (result.success && misplaced.length === 0) return result.data;
  throw new ConfigError([
    ...misplaced,
    ...(result.success ? [] : toConfigError(result.error, raw, platformConfigSchema).problems),
  ]);
}

/**
 * Reads and validates the config of the stack being deployed. Keys of the running project's
 * namespace, Pulumi's and the providers' (`gcp`, `docker`) are expected; name any other
 * namespace the program reads in `otherNamespaces`.
 */
export function loadPlatformConfig(options: NamespaceOptions = {}): PlatformConfig {
  return parseStackConfig(pulumi.runtime.allConfig(), { project: pulumi.getProject(), ...options });
}

/** Reads a `Pulumi.<stack>.yaml` file into the flat `namespace:key -> value` map the engine uses. */
export function readStackFile(file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parseYaml(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new ConfigError([`${file} cannot be read as YAML: ${(err as Error).message}`]);
  }
  const config = (doc as { config?: unknown } | null)?.config;
  if (config === undefined || config === null || typeof config !== "object") {
    throw new ConfigError([`${file} has no \`config:\` section`]);
  }
  return config as Record<string, unknown>;
}
