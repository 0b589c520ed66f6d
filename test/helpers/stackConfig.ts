/**
 * The tests' copies of the stack configs (test/fixtures/stacks), parsed, for tests that build
 * components from them. Copies, so a user editing Pulumi.<stack>.yaml as the deploy guide says
 * (another region, their project) does not break `npm test`; test/scripts/plan.test.ts and
 * test/components/config/stackConfig.test.ts check that the checked-in files still render.
 */
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

/** The folder of the tests' own `Pulumi.<stack>.yaml` copies. */
export const STACK_FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "stacks");

/** The tests' copy of `Pulumi.<stack>.yaml`. */
export function stackFixture(stack: "staging" | "prod"): string {
  return path.join(STACK_FIXTURES, `Pulumi.${stack}.yaml`);
}

/** The flat `namespace:key -> value` map of the tests' `Pulumi.<stack>.yaml`. */
export function stackFile(stack: "staging" | "prod"): Record<string, unknown> {
  return readStackFile(stackFixture(stack));
}

/** The validated config of a stack (the tests' copy), with optional overrides of top-level keys. */
export function stackConfig(
  stack: "staging" | "prod",
  overrides: Record<string, unknown> = {},
): PlatformConfig {
  return parsePlatformConfig({ ...projectKeys(stackFile(stack)), ...overrides });
}

export function stackTopology(stack: "staging" | "prod", overrides: Record<string, unknown> = {}): Topology {
  return topologyOf(stackConfig(stack, overrides));
}
