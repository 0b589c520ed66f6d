/** The checked-in stack configs, parsed, for tests that build components from them. */
import * as path from "node:path";
import {
  parsePlatformConfig,
  projectKeys,
  readStackFile,
  topologyOf,
  type PlatformConfig,
  type Topology,
} from "../../components/config";

export const REPO_ROOT = path.resolve(__dirname, "../..");

/** The flat `namespace:key -> value` map of `Pulumi.<stack>.yaml`. */
export function stackFile(stack: "staging" | "prod"): Record<string, unknown> {
  return readStackFile(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`));
}

/** The validated config of a checked-in stack, with optional overrides of top-level keys. */
export function stackConfig(
  stack: "staging" | "prod",
  overrides: Record<string, unknown> = {},
): PlatformConfig {
  return parsePlatformConfig({ ...projectKeys(stackFile(stack)), ...overrides });
}

export function stackTopology(stack: "staging" | "prod", overrides: Record<string, unknown> = {}): Topology {
  return topologyOf(stackConfig(stack, overrides));
}
