/**
 * What `npm run e2e` checks before it touches a stack: that the Pulumi CLI is there (the
 * Automation API runs it; without it the run died in a `spawn pulumi ENOENT` stack trace), and
 * that `--destroy` is not asked of a stack whose config turns deletion protection on (prod by
 * default): the e2e keeps what it deployed unless told, and never tears down a protected stack.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseStackConfig, readStackFile, topologyOf } from "../../components/config";

/** The line printed when the CLI cannot be found. */
export const PULUMI_CLI_MISSING =
  "the Pulumi CLI is not on PATH: install it (https://www.pulumi.com/docs/iac/download-install/), run `pulumi login`, and try again";

/** The first `pulumi` executable on `PATH`, or undefined (what `spawn("pulumi")` would find). */
export function findPulumiCli(
  envPath: string | undefined,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const names = platform === "win32" ? ["pulumi.exe", "pulumi.cmd", "pulumi"] : ["pulumi"];
  for (const dir of (envPath ?? "").split(path.delimiter).filter((d) => d !== "")) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // Not here; keep looking.
      }
    }
  }
  return undefined;
}

/** True for the error the Automation API throws when it cannot start the CLI. */
export function isPulumiCliMissing(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const { code, path: file } = err as NodeJS.ErrnoException;
  return (code === "ENOENT" && /pulumi/.test(String(file ?? ""))) || /spawn pulumi ENOENT/.test(err.message);
}

/** Whether the stack's config (its `Pulumi.<stack>.yaml`, validated as `up` would) turns deletion protection on. */
export function stackDeletionProtection(configFile: string): boolean {
  return topologyOf(parseStackConfig(readStackFile(configFile))).deletionProtection;
}

/**
 * The refusal for `--destroy` on a protected stack, or undefined when the run may go ahead.
 * Without `--destroy` nothing is destroyed, so any stack may be checked.
 */
export function destroyRefusal(
  stack: string,
  destroy: boolean,
  deletionProtection: boolean,
): string | undefined {
  if (!destroy || !deletionProtection) return undefined;
  return (
    `refusing --destroy: stack ${stack} has deletion protection on (streaming-inference:deletionProtection, ` +
    `true by default in prod). Run without --destroy to keep the stack, or follow the teardown in docs/deploying.md.`
  );
}
