/**
 * Renders a stack offline: the stack program runs under Pulumi's mock runtime with a
 * stack config file, and every resource it registers is returned as data. No CLI, no
 * cloud; provider-computed values are fakes. Printing and policy checks build on this.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { CONFIG_NAMESPACE, ConfigError, parseStackConfig, readStackFile } from "../../components/config";
import { installMocks, settle, type PulumiSdk, type RecordedResource } from "./mocks";
import { applyProjectConfig, ignoredProviderKeyProblems, readProject } from "./projectConfig";

export const REPO_ROOT = path.resolve(__dirname, "../..");
export const STACK_PROGRAM = path.join(REPO_ROOT, "index.ts");

export interface RenderedStack {
  /** Stack name (from `Pulumi.<stack>.yaml`, else the file's base name). */
  stack: string;
  configFile: string;
  /** Every registered resource, components included, in registration order. */
  resources: RecordedResource[];
}

export interface RenderOptions {
  /** The stack config file to render with. */
  configFile: string;
  /** The stack program; defaults to the repository's `index.ts`. */
  program?: string;
  /** Its Pulumi project name; defaults to "streaming-inference". */
  project?: string;
}

/**
 * The Pulumi project of a program other than the root one: `name` in the `Pulumi.yaml`
 * beside it (its config keys live in that namespace). Undefined for the root project.
 */
export function projectOf(program: string): string | undefined {
  const projectFile = path.join(path.dirname(program), "Pulumi.yaml");
  if (!fs.existsSync(projectFile)) return undefined;
  const name = (parseYaml(fs.readFileSync(projectFile, "utf8")) as { name?: unknown } | null)?.name;
  return typeof name === "string" && name !== CONFIG_NAMESPACE ? name : undefined;
}

/**
 * The stack file as the Pulumi CLI hands it to the program: checked against the project's
 * declarations (the Pulumi.yaml beside the program) and with their defaults merged in; a
 * stack the CLI would refuse is refused here too (projectConfig.ts). For the root program,
 * `gcp:*` keys its explicit provider never reads are refused as well.
 */
export function withProjectConfig(
  stackConfig: Record<string, unknown>,
  program: string,
  stack: string,
): Record<string, unknown> {
  const projectFile = path.join(path.dirname(program), "Pulumi.yaml");
  if (!fs.existsSync(projectFile)) return stackConfig;
  const { config, problems } = applyProjectConfig(readProject(projectFile), stack, stackConfig);
  if (program === STACK_PROGRAM) problems.push(...ignoredProviderKeyProblems(stackConfig, stack));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * The `@pulumi/pulumi` the program loads, resolved from its own folder: a consumer's
 * project has its own copy (one per program, the package's peer dependency), and the
 * mocks must be set in that copy's runtime. For a program in this repository it is ours.
 */
export function sdkOf(program: string): PulumiSdk {
  const entry = require.resolve("@pulumi/pulumi", { paths: [path.dirname(program)] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(entry) as PulumiSdk;
}

/** `Pulumi.prod.yaml` -> `prod`. */
export function stackNameOf(configFile: string): string {
  const base = path.basename(configFile);
  return /^Pulumi\.(.+)\.ya?ml$/.exec(base)?.[1] ?? base.replace(/\.ya?ml$/, "");
}

/**
 * Renders the stack. Throws `ConfigError` (before any resource is declared) when the
 * file does not validate. Runs the program with `require`, so call it from a process
 * that loads TypeScript (`tsx`, as `npm run plan` does); one render per process.
 */
export async function renderStack(options: RenderOptions): Promise<RenderedStack> {
  const configFile = path.resolve(options.configFile);
  const program = path.resolve(options.program ?? STACK_PROGRAM);
  const project = options.project ?? projectOf(program);
  const stack = stackNameOf(configFile);
  const config = withProjectConfig(readStackFile(configFile), program, stack);
  // A stack that configures the platform in its namespace (the root program, a stack that
  // installed the package) is checked up front; another project's program with keys of its
  // own (examples/platform) validates its settings through the components when it runs.
  const configuresPlatform = Object.keys(config).some((key) => key.startsWith(`${CONFIG_NAMESPACE}:`));
  const gcpProject =
    project === undefined || configuresPlatform
      ? parseStackConfig(config, { project: project ?? CONFIG_NAMESPACE }).projectId
      : String(config[`${project}:projectId`] ?? config["gcp:project"] ?? "test-project");
  const sdk = sdkOf(program);
  const recorder = await installMocks({ stack, config, gcpProject, project, sdk });

  delete require.cache[require.resolve(program)];
  // The program is a script, not a module with exports: running it is the point.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(program);
  await settle(sdk);
  return { stack, configFile, resources: recorder.resources };
}
