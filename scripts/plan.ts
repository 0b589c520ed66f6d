/**
 * `npm run plan -- --stack <staging|prod> [--json out.json]` or `--config <file>`:
 * renders the stack program offline (Pulumi mock runtime) and prints the resource tree.
 * Exit codes: 0 rendered; 1 invalid config or the program failed; 2 bad arguments.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError } from "../components/config";
import { formatPlan, planJson } from "./plan/print";
import { REPO_ROOT, renderStack } from "./plan/render";

const USAGE =
  "usage: npm run plan -- (--stack <staging|prod> | --config <Pulumi.<stack>.yaml>) [--json <out.json>]";

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let values: { stack?: string; config?: string; json?: string };
  try {
    ({ values } = parseArgs({
      options: { stack: { type: "string" }, config: { type: "string" }, json: { type: "string" } },
      strict: true,
    }));
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`, 2);
  }
  if (!values.stack === !values.config) fail(`give exactly one of --stack or --config\n${USAGE}`, 2);
  const configFile = values.config ?? path.join(REPO_ROOT, `Pulumi.${values.stack}.yaml`);
  if (!fs.existsSync(configFile)) fail(`stack config ${configFile} does not exist\n${USAGE}`, 2);

  const started = performance.now();
  const rendered = await renderStack({ configFile });
  process.stdout.write(`${formatPlan(rendered)}\n`);
  if (values.json) {
    fs.writeFileSync(values.json, `${planJson(rendered)}\n`);
    process.stdout.write(`Wrote ${rendered.resources.length} resources to ${values.json}\n`);
  }
  process.stdout.write(`Rendered in ${Math.round(performance.now() - started)} ms\n`);
}

// A bad config is the user's to fix: its message, no stack trace. Anything else is a bug: show it all.
const onError = (err: unknown) =>
  err instanceof ConfigError
    ? fail(err.message, 1)
    : fail(err instanceof Error ? (err.stack ?? err.message) : String(err), 1);
process.on("unhandledRejection", onError);
main().catch(onError);
