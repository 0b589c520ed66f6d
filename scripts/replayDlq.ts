/**
 * `npm run replay-dlq -- (--stack <name> | --config <Pulumi.<stack>.yaml>) [--reason R] [--dry-run] [--max N]`:
 * republishes dead letters of the events channel to the events topic (tools/replay/replay.ts).
 * The topic and the dead-letter inspection subscription are named from the stack config
 * (project, `namePrefix`), as the components name them (contract/names.ts). `--dry-run` counts
 * the letters by `error.reason`, prints a few and leaves them all; `--reason R` replays only
 * that reason (`none`: letters Pub/Sub dead-lettered after the delivery attempts). Uses
 * Application Default Credentials, or the emulator when PUBSUB_EMULATOR_HOST is set.
 * Exit codes: 0 done; 1 a publish failed, the config is invalid or Pub/Sub refused; 2 bad arguments.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { CHANNELS, channelNames } from "../contract/names";
import { ConfigError, parseStackConfig, readStackFile, topologyOf } from "../components/config";
import { replayClients } from "../tools/replay/pubsub";
import { formatReplay, replayDeadLetters } from "../tools/replay/replay";

const USAGE =
  "usage: npm run replay-dlq -- (--stack <name> | --config <Pulumi.<stack>.yaml>) [--reason <error.reason | none>] [--dry-run] [--max N]";

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let values: {
    stack?: string;
    config?: string;
    reason?: string;
    "dry-run"?: boolean;
    max?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        stack: { type: "string" },
        config: { type: "string" },
        reason: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        max: { type: "string", default: "10000" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`, 2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.stack === !values.config) fail(`give exactly one of --stack or --config\n${USAGE}`, 2);
  const max = Number(values.max);
  if (!Number.isInteger(max) || max < 1) fail(`--max must be a positive whole number\n${USAGE}`, 2);
  const configFile = values.config ?? path.resolve(__dirname, "..", `Pulumi.${values.stack}.yaml`);
  if (!fs.existsSync(configFile)) fail(`stack config ${configFile} does not exist\n${USAGE}`, 2);

  const config = parseStackConfig(readStackFile(configFile));
  const names = channelNames(topologyOf(config).prefix, CHANNELS.events);
  const clients = replayClients(config.projectId, names.deadLetterSubscription, names.topic);
  const options = {
    reason: values.reason,
    dryRun: values["dry-run"] ?? false,
    max,
    batch: 100,
    emptyPulls: 2,
  };
  process.stdout.write(
    `${options.dryRun ? "looking at" : "replaying"} ${names.deadLetterSubscription} -> ${names.topic} (project ${config.projectId})\n`,
  );
  try {
    const report = await replayDeadLetters(clients.source, clients.republish, options);
    process.stdout.write(`${formatReplay(report, options).join("\n")}\n`);
    if (report.failed.length > 0) process.exitCode = 1;
  } finally {
    await clients.close();
  }
}

main().catch((err: unknown) =>
  err instanceof ConfigError
    ? fail(err.message, 1)
    : fail(err instanceof Error ? (err.stack ?? err.message) : String(err), 1),
);
