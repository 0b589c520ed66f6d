/**
 * `npm run e2e -- --stack <name> [--events N] [--event '<json>'] [--timeout-s S] [--keep] [--json out.json]`:
 * deploys the stack for real (Pulumi Automation API), checks a second preview wants no change,
 * sends N events through the deployed pipeline and waits for N predictions and N BigQuery rows,
 * prints the end-to-end latency, then destroys the stack unless `--keep`.
 * Needs the Pulumi CLI (logged in), Application Default Credentials, and a stack set up as the
 * README's "Deploying" section says. Exit codes: 0 passed; 1 a check failed; 2 bad arguments.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { automationStack, cloudClients } from "../tools/e2e/cloud";
import { runE2e } from "../tools/e2e/harness";
import { e2eEvents } from "../tools/e2e/events";

const USAGE =
  "usage: npm run e2e -- --stack <name> [--events N] [--event '<json template>'] [--timeout-s S] [--keep] [--json out.json]";

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
  let template: Record<string, unknown> | undefined;
  try {
    template = values.event === undefined ? undefined : (JSON.parse(values.event) as Record<string, unknown>);
  } catch (err) {
    fail(`--event is not JSON: ${(err as Error).message}\n${USAGE}`, 2);
  }

  const log = (line: string) => process.stdout.write(`${line}\n`);
  const report = await runE2e(
    {
      stack: await automationStack(values.stack, path.resolve(__dirname, ".."), log),
      clients: cloudClients,
      makeEvents: (count) => e2eEvents(count, `${Date.now()}`, template),
      now: () => Date.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      log,
    },
    { events, keep: values.keep ?? false, timeoutMs: timeoutS * 1000, pollMs: 2000 },
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

main().catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err), 1));
