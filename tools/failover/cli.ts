/**
 * `npm run failover -- --stack S --to REGION [--at T] [--dry-run] ...`: argument parsing and
 * the choice of clients (the emulator when `PUBSUB_EMULATOR_HOST` is set, the cloud otherwise).
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PubSub } from "@google-cloud/pubsub";
import { ConfigError } from "../../components/config";
import { previewAndUp } from "./automation";
import type { FailoverClients } from "./clients";
import { cloudFailoverClients } from "./cloudClients";
import { emulatorFailoverClients } from "./emulatorClients";
import type { FailoverRequest, FailoverResult } from "./failover";
import {
  DEFAULT_MARGIN_SECONDS,
  describeFailover,
  FailoverRefused,
  OLDEST_UNACKED_METRIC,
  runFailover,
} from "./failover";
import { readFailoverStack, setActiveRegion } from "./stackFile";
import type { FailoverStack } from "./stackFile";

export const FAILOVER_USAGE = `usage: npm run failover -- --stack <stack> --to <region> [options]
  --stack <name>            the stack whose Pulumi.<name>.yaml is changed
  --to <region>             the region that takes over (fail-back: the old region)
  --at <time>               replay point (RFC 3339), instead of computing it
  --margin <seconds>        margin before the oldest unacked message (default ${DEFAULT_MARGIN_SECONDS})
  --oldest-unacked <time>   publish time of the failed region's oldest unacked message, when read
                            elsewhere (default: Cloud Monitoring ${OLDEST_UNACKED_METRIC};
                            required on the emulator unless --at is given)
  --dry-run                 print what would be done; change nothing
  --apply                   then run pulumi preview and pulumi up (Automation API; needs the Pulumi CLI)
  --config-dir <dir>        where Pulumi.<stack>.yaml is (default: the repository)
  --json                    print the result as JSON too
Exit codes: 0 done, 2 refused (nothing changed) or bad arguments, 1 failed.`;

export interface CliOptions {
  request: FailoverRequest;
  stackName: string;
  configDir: string;
  oldestUnacked?: Date;
  apply: boolean;
  json: boolean;
}

function parseTime(value: string, flag: string): Date {
  const time = new Date(value);
  if (!/^\d{4}-\d\d-\d\dT/.test(value) || Number.isNaN(time.getTime())) {
    throw new FailoverRefused(`${flag} ${value} is not an RFC 3339 time (e.g. 2026-11-22T10:15:00Z)`);
  }
  return time;
}

export function parseFailoverArgs(argv: string[], repoRoot: string, now: Date): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: "string" },
      to: { type: "string" },
      at: { type: "string" },
      margin: { type: "string" },
      "oldest-unacked": { type: "string" },
      "dry-run": { type: "boolean", default: false },
      apply: { type: "boolean", default: false },
      "config-dir": { type: "string" },
      json: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.stack === undefined || values.to === undefined) {
    throw new FailoverRefused("--stack and --to are required");
  }
  const margin = Number(values.margin ?? DEFAULT_MARGIN_SECONDS);
  if (!Number.isFinite(margin) || margin < 0)
    throw new FailoverRefused(`--margin ${values.margin} is not a number of seconds >= 0`);
  if (values.apply && values["dry-run"])
    throw new FailoverRefused("--apply and --dry-run exclude each other");
  return {
    stackName: values.stack,
    configDir: values["config-dir"] ?? repoRoot,
    oldestUnacked:
      values["oldest-unacked"] === undefined
        ? undefined
        : parseTime(values["oldest-unacked"], "--oldest-unacked"),
    apply: values.apply,
    json: values.json,
    request: {
      to: values.to,
      at: values.at === undefined ? undefined : parseTime(values.at, "--at"),
      marginSeconds: margin,
      dryRun: values["dry-run"],
      now,
    },
  };
}

/** The clients for where the command runs; `--oldest-unacked` replaces the metric when given. */
export function clientsFor(
  stack: FailoverStack,
  oldestUnacked: Date | undefined,
  pubsub: PubSub,
): FailoverClients {
  const emulatorHost = process.env.PUBSUB_EMULATOR_HOST;
  const clients =
    emulatorHost !== undefined && emulatorHost !== ""
      ? emulatorFailoverClients(pubsub, emulatorHost)
      : cloudFailoverClients(pubsub, {
          projectId: stack.config.projectId,
          workerPoolName: (region) => `${stack.topology.prefix}-worker-${region}`,
          now: () => new Date(),
        });
  return withOldestUnacked(clients, oldestUnacked);
}

/** `clients` with the failed region's oldest unacked message given (`--oldest-unacked`), if it is. */
export function withOldestUnacked(
  clients: FailoverClients,
  oldestUnacked: Date | undefined,
): FailoverClients {
  if (oldestUnacked === undefined) return clients;
  return {
    ...clients,
    oldestUnacked: async () => ({ publishTime: oldestUnacked, source: "--oldest-unacked" }),
  };
}

export interface FailoverRun {
  code: number;
  result?: FailoverResult;
}

/** Runs the command; returns the exit code. `write` gets stdout lines, `warn` stderr lines. */
export async function failoverMain(
  argv: string[],
  repoRoot: string,
  io: { write: (line: string) => void; warn: (line: string) => void },
  makeClients: (stack: FailoverStack, oldestUnacked: Date | undefined) => FailoverClients,
): Promise<FailoverRun> {
  let options: CliOptions;
  try {
    options = parseFailoverArgs(argv, repoRoot, new Date());
  } catch (error) {
    io.warn(`${(error as Error).message}\n${FAILOVER_USAGE}`);
    return { code: 2 };
  }
  try {
    const file = join(options.configDir, `Pulumi.${options.stackName}.yaml`);
    const stack = readFailoverStack(options.stackName, file);
    const clients = makeClients(stack, options.oldestUnacked);
    const result = await runFailover(
      stack,
      options.request,
      clients,
      (region) => void setActiveRegion(file, region),
    );
    for (const line of describeFailover(result)) io.write(line);
    if (options.json) io.write(JSON.stringify(result, null, 2));
    if (options.apply) {
      await previewAndUp(options.stackName, options.configDir, (text) => io.write(text.trimEnd()));
    }
    return { code: 0, result };
  } catch (error) {
    if (error instanceof FailoverRefused || error instanceof ConfigError) {
      io.warn(`refused: ${error.message}`);
      return { code: 2 };
    }
    io.warn(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { code: 1 };
  }
}
