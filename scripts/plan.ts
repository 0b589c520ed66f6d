/**
 * `npm run plan -- --stack <staging|prod> [--json out.json]` or `--config <file>`:
 * renders the stack program offline (Pulumi mock runtime) and prints the resource tree,
 * then the policy pack's violations (policies/), grouped by policy. `--program <file>`
 * renders another stack program that uses the components.
 * Exit codes: 0 rendered; 1 invalid config or the program failed; 2 bad arguments;
 * 3 with `--policy`, a mandatory policy is violated.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../components/config";
import { formatViolations, hasMandatoryViolations, runPolicies } from "../policies/src";
import { parsePlanArgs, PLAN_USAGE } from "./plan/args";
import type { PlanArgs } from "./plan/args";
import { formatPlan, planJson } from "./plan/print";
import { REPO_ROOT, renderStack } from "./plan/render";

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** Writes the --json file, creating its folder; a path that cannot be written is named, without a stack trace. */
function writeJson(file: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (err) {
    fail(`cannot write --json ${file}: ${(err as Error).message}`, 2);
  }
}

async function main(): Promise<void> {
  let values: PlanArgs;
  try {
    values = parsePlanArgs(process.argv.slice(2));
  } catch (err) {
    fail((err as Error).message, 2);
  }
  const configFile = values.config ?? path.join(REPO_ROOT, `Pulumi.${values.stack}.yaml`);
  if (!fs.existsSync(configFile)) fail(`stack config ${configFile} does not exist\n${PLAN_USAGE}`, 2);

  const started = performance.now();
  const rendered = await renderStack({ configFile, program: values.program });
  process.stdout.write(`${formatPlan(rendered)}\n`);
  const violations = await runPolicies(rendered.resources);
  process.stdout.write(`${formatViolations(violations)}\n`);
  if (values.json) {
    const doc = { ...(JSON.parse(planJson(rendered)) as object), policy: { violations } };
    writeJson(values.json, `${JSON.stringify(doc, null, 2)}\n`);
    process.stdout.write(`Wrote ${rendered.resources.length} resources to ${values.json}\n`);
  }
  process.stdout.write(`Rendered in ${Math.round(performance.now() - started)} ms\n`);
  if (values.policy && hasMandatoryViolations(violations)) {
    fail("Mandatory policy violations (see above): fix them, or lower the policy's enforcement level.", 3);
  }
}

// A bad config is the user's to fix: its message, no stack trace. Anything else is a bug: show it all.
const onError = (err: unknown) =>
  err instanceof ConfigError
    ? fail(err.message, 1)
    : fail(err instanceof Error ? (err.stack ?? err.message) : String(err), 1);
process.on("unhandledRejection", onError);
main().catch(onError);
