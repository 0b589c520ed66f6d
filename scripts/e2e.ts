/**
 * `npm run e2e -- --stack <name> [--events N] [--event '<json>'] [--timeout-s S] [--destroy] [--json out.json]`:
 * deploys the stack for real (Pulumi Automation API), checks a second preview wants no change,
 * sends N events through the deployed pipeline and waits for N predictions and N BigQuery rows,
 * prints the end-to-end latency, and keeps the stack; `--destroy` destroys it afterwards, and is
 * refused for a stack whose config turns deletion protection on (prod by default).
 * Needs the Pulumi CLI (logged in), Application Default Credentials, and a stack set up as
 * docs/deploying.md says. Exit codes: 0 passed; 1 a check failed or the Pulumi CLI is missing;
 * 2 bad arguments, or `--destroy` on a protected stack.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { automationStack, cloudClients } from "../tools/e2e/cloud";
import { runE2e } from "../tools/e2e/harness";
import { e2eEvents } from "../tools/e2e/events";
import {
  destroyRefusal,
  findPulumiCli,
  isPulumiCliMissing,
  PULUMI_CLI_MISSING,
  stackDeletionProtection,
} from "../tools/e2e/safety";
import { ConfigError } from "../components/config";

const USAGE =
  "usage: npm run e2e -- --stack <name> [--events N] [--event '<json template>'] [--timeout-s S] [--destroy] [--json out.json]";

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let values: {
    stack?: string;
    events?: string;
    event?: string;
    "timeout-s"?: string;
    destroy?: boolean;
    keep?: boolean;
    json?: string;
  };
  try {
    ({ values } = parseArgs({
      options: {
        stack: { type: "string" },
        events: { type: "string", default: "100" },
        event: { type: "string" },
        "timeout-s": { type: "string", default: "300" },
        destroy: { type: "boolean", default: false },
        // The old opt-out, now the default; accepted so existing scripts keep working.
        keep: { type: "boolean", default: false },
        json: { type: "string" },
      },
      strict: true,
    }));
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`, 2);
  }
  const events = Number(values.events);
  const timeoutS = Number(values["timeout-s"]);
  if (!values.stack) fail(`--stack is required\n${USAGE}`, 2);
  if (!Number.isInteger(events) || events < 1) fail(`--events must be a positive integer\n${USAGE}`, 2);
  if (!(timeoutS > 0)) fail(`--timeout-s must be a positive number\n${USAGE}`, 2);
  const destroy = values.destroy ?? false;
  if (destroy && values.keep) fail(`--destroy and --keep contradict each other\n${USAGE}`, 2);
  const root = path.resolve(__dirname, "..");
  const stack = values.stack;
  if (destroy) {
    const configFile = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(configFile)) {
      fail(`--destroy needs ${configFile} to check the stack's deletion protection; it does not exist`, 2);
    }
    const refusal = destroyRefusal(stack, destroy, stackDeletionProtection(configFile));
    if (refusal) fail(refusal, 2);
  }
  if (findPulumiCli(process.env.PATH) === undefined) fail(PULUMI_CLI_MISSING, 1);
  let template: Record<string, unknown> | undefined;
  try {
    template = values.event === undefined ? undefined : (JSON.parse(values.event) as Record<string, unknown>);
  } catch (err) {
    fail(`--event is not JSON: ${(err as Error).message}\n${USAGE}`, 2);
  }

  const log = (line: string) => process.stdout.write(`${line}\n`);
  const report = await runE2e(
    {
      stack: await automationStack(stack, root, log),
      clients: cloudClients,
      makeEvents: (count) => e2eEvents(count, `${Date.now()}`, template),
      now: () => Date.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      log,
    },
    { events, destroy, timeoutMs: timeoutS * 1000, pollMs: 2000 },
  );
  const { p50, p95, max } = report.latencyMs;
  log(
    `e2e ${report.ok ? "passed" : "FAILED"}: published ${report.published}, predicted ${report.predicted}, ` +
      `BigQuery rows ${report.rows}; publish -> prediction p50 ${p50} ms, p95 ${p95} ms, max ${max} ms; ` +
      `${report.destroyed ? "destroyed" : "stack left up"}`,
  );
  for (const failure of report.failures) log(`  - ${failure}`);
  if (values.json) fs.writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  if (!report.ok) process.exitCode = 1;
}

// The user's to fix, in one line: a missing CLI, a bad stack config. Anything else is a bug: show it all.
main().catch((err: unknown) => {
  if (isPulumiCliMissing(err)) fail(PULUMI_CLI_MISSING, 1);
  if (err instanceof ConfigError) fail(err.message, 1);
  fail(err instanceof Error ? (err.stack ?? err.message) : String(err), 1);
});
