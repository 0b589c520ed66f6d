/**
 * `npm run plan -- --stack <staging|prod> [--json out.json]` or `--config <file>`:
 * renders the stack program offline (Pulumi mock runtime) and prints the resource tree,
 * then the policy pack's violations (policies/), grouped by policy. `--program <file | dir>`
 * renders another stack program that uses the components (a directory: a Pulumi project,
 * whose `Pulumi.<stack>.yaml` `--stack` then reads, e.g. a stack that installed the package).
 * `--policy-config <file.json>` gives the policy pack its config; `--help` prints the usage
 * (tools/plan/opsArgs.ts). Exit codes: 0 rendered; 1 invalid config or the program failed;
 * 2 bad arguments; 3 with `--policy`, a mandatory policy is violated or a field or enum value is outside Google's
 * public protos (tools/conformance). `--roles` also prints the roles the deploying
 * identity needs and the APIs the stack uses, derived from the plan's resource types.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PolicyPackConfig } from "@pulumi/policy";
import { ResourceError } from "@pulumi/pulumi";
import { ConfigError } from "../components/config";
import { formatViolations, hasMandatoryViolations, runPolicies } from "../policies/src";
import { parsePlanArgs, PLAN_USAGE } from "../tools/plan/args";
import type { PlanArgs } from "../tools/plan/args";
import { PLAN_FULL_USAGE, readPolicyConfig, splitPlanOpsArgs } from "../tools/plan/opsArgs";
import { formatPlan, planJson } from "../tools/plan/print";
import { isOutside, locateProgram, type ProgramLocation } from "../tools/plan/program";
import { REPO_ROOT, renderStack } from "../tools/plan/render";
import { formatRoles, rolesFor } from "../tools/plan/roles";
import { apisFor } from "../components/prerequisites";
import { conformanceFindings, formatFindings } from "../tools/conformance/conformance";

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
  let policyConfig: Record<string, unknown> | undefined;
  try {
    const ops = splitPlanOpsArgs(process.argv.slice(2));
    if (ops.help) {
      process.stdout.write(`${PLAN_FULL_USAGE}\n`);
      return;
    }
    values = parsePlanArgs(ops.rest);
    policyConfig = ops.policyConfig === undefined ? undefined : readPolicyConfig(ops.policyConfig);
  } catch (err) {
    fail((err as Error).message, 2);
  }
  let program: ProgramLocation | undefined;
  try {
    program = values.program === undefined ? undefined : locateProgram(values.program);
  } catch (err) {
    fail(`${(err as Error).message}\n${PLAN_USAGE}`, 2);
  }
  if (program && isOutside(REPO_ROOT, program.entry) && process.env.TSX_TSCONFIG_PATH === undefined) {
    rerunWithoutRepoPaths(program);
  }
  const stackDir = program && isOutside(REPO_ROOT, program.dir) ? program.dir : REPO_ROOT;
  const configFile = values.config ?? path.join(stackDir, `Pulumi.${values.stack}.yaml`);
  if (!fs.existsSync(configFile)) fail(`stack config ${configFile} does not exist\n${PLAN_USAGE}`, 2);

  const started = performance.now();
  const rendered = await renderStack({ configFile, program: program?.entry, project: program?.project });
  process.stdout.write(`${formatPlan(rendered)}\n`);
  const violations = await runPolicies(rendered.resources, {
    config: policyConfig as PolicyPackConfig | undefined,
  });
  process.stdout.write(`${formatViolations(violations)}\n`);
  // Google's own definitions: every field and enum value in the public protos, stored JSON a fixed point.
  const findings = conformanceFindings(rendered.resources);
  process.stdout.write(`${formatFindings(findings)}\n`);
  if (values.roles) {
    process.stdout.write(`${formatRoles(rolesFor(rendered.resources), apisFor(rendered.resources))}\n`);
  }
  if (values.json) {
    const doc = {
      ...(JSON.parse(planJson(rendered)) as object),
      policy: { violations },
      conformance: findings,
    };
    writeJson(values.json, `${JSON.stringify(doc, null, 2)}\n`);
    process.stdout.write(`Wrote ${rendered.resources.length} resources to ${values.json}\n`);
  }
  process.stdout.write(`Rendered in ${Math.round(performance.now() - started)} ms\n`);
  if (values.policy && hasMandatoryViolations(violations)) {
    fail("Mandatory policy violations (see above): fix them, or lower the policy's enforcement level.", 3);
  }
  if (values.policy && findings.length > 0) {
    fail("Fields or values Google's public API does not have (see above): remove or fix them.", 3);
  }
}

/**
 * The repository's tsconfig maps "streaming-inference" to its own sources (`paths`, for the
 * examples' type-check), and tsx applies it to every file it loads. A program outside the
 * repository must get the package it installed instead, so it is rendered in a child whose
 * tsx reads the program's own tsconfig (or one without `paths`).
 */
function rerunWithoutRepoPaths(program: ProgramLocation): never {
  const own = path.join(program.dir, "tsconfig.json");
  const tsconfig = fs.existsSync(own) ? own : path.join(REPO_ROOT, "tsconfig.build.json");
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig },
  });
  process.exit(child.status ?? 1);
}

// A bad config (or settings object: a ResourceError that hides its stack) is the user's to fix: its message, no stack trace. Anything else is a bug: show it all.
const onError = (err: unknown) =>
  err instanceof ConfigError || (ResourceError.isInstance(err) && err.hideStack)
    ? fail((err as Error).message, 1)
    : fail(err instanceof Error ? (err.stack ?? err.message) : String(err), 1);
process.on("unhandledRejection", onError);
main().catch(onError);
