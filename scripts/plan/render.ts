/**
 * Renders a stack offline: the stack program runs under Pulumi's mock runtime with a
 * stack config file, and every resource it registers is returned as data. No CLI, no
 * cloud; provider-computed values are fakes. Printing and policy checks build on this.
 */
import * as path from "node:path";
import { CONFIG_NAMESPACE, parseStackConfig, readStackFile } from "../../components/config";
import { installMocks, settle, type RecordedResource } from "./mocks";

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
  const config = readStackFile(configFile);
  const parsed = parseStackConfig(config, { project: options.project ?? CONFIG_NAMESPACE });
  const stack = stackNameOf(configFile);
  const recorder = await installMocks({
    project: options.project,
    stack,
    config,
    gcpProject: parsed.projectId,
  });

  const program = path.resolve(options.program ?? STACK_PROGRAM);
  delete require.cache[require.resolve(program)];
  // The program is a script, not a module with exports: running it is the point.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(program);
  await settle();
  return { stack, configFile, resources: recorder.resources };
}
