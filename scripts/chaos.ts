/**
 * `npm run chaos -- [--quick] [--json <file>] [--only <name,...>]`: fault scenarios on
 * the emulators with the real worker, each counting by message id that every published
 * message ends up predicted or dead-lettered. Exits 1 if any scenario lost a message.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import {
  CONNECTIVITY_USAGE,
  parseConnectivityOption,
  parsePredictProtocolOption,
  REPO_ROOT,
  startEmulators,
} from "../local";
import type { LocalConnectivity, LocalPredictProtocol } from "../local";
import { exitOnStopSignals } from "../local/lifecycle/stopSignals";
import { busyMachineWarning, describeMachineLoad, sampleMachineLoad } from "../local/report/machineLoad";
import { machineInfo } from "../tools/bench/machine";
import { chaosExitCode } from "../tools/chaos/accounting";
import type { ScenarioResult } from "../tools/chaos/accounting";
import { CHAOS_SUBSCRIPTION, runScenario } from "../tools/chaos/runScenario";
import { chaosScenarios, FULL_SIZES, QUICK_SIZES } from "../tools/chaos/scenarios";

const USAGE = `usage: npm run chaos -- [--quick] [--json <file>] [--only <name,...>] [--connectivity psc|peering] [--protocol http|grpc]
  --quick        CI variant: smaller streams, same faults
  --json <file>  write { machine, scenarios: [...] } as JSON
  --only         run only these scenarios (comma-separated names)
${CONNECTIVITY_USAGE}`;

const say = (line: string) => process.stderr.write(`${line}\n`);

function formatRow(result: ScenarioResult): string {
  const recovery = result.recoveryMs === null ? "never" : `${(result.recoveryMs / 1000).toFixed(1)} s`;
  return (
    `${result.name.padEnd(26)} published ${String(result.published).padStart(6)} | predicted ${String(result.predicted).padStart(6)}` +
    ` | dead-lettered ${String(result.deadLettered).padStart(4)} | lost ${result.lost}` +
    (result.heldByEmulator > 0 ? ` | held by the emulator ${result.heldByEmulator}` : "") +
    ` | duplicates ${result.duplicates}` +
    ` | misrouted ${result.misrouted} | dead-lettered without reason ${result.deadLetteredWithoutReason}` +
    (result.outputsOverPubSubLimits > 0
      ? ` | outputs over Pub/Sub limits ${result.outputsOverPubSubLimits}`
      : "") +
    ` | recovery ${recovery}`
  );
}

async function main(): Promise<number> {
  let values: {
    quick: boolean;
    json?: string;
    only?: string;
    connectivity?: string;
    protocol?: string;
    help: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        quick: { type: "boolean", default: false },
        json: { type: "string" },
        only: { type: "string" },
        connectivity: { type: "string" },
        protocol: { type: "string" },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (error) {
    say(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  let connectivity: LocalConnectivity;
  let predictProtocol: LocalPredictProtocol;
  try {
    connectivity = parseConnectivityOption(values.connectivity);
    predictProtocol = parsePredictProtocolOption(values.protocol);
  } catch (error) {
    say(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const sizes = values.quick ? QUICK_SIZES : FULL_SIZES;
  let scenarios = chaosScenarios(sizes);
  if (values.only !== undefined) {
    const wanted = values.only.split(",").map((name) => name.trim());
    const unknown = wanted.filter((name) => !scenarios.some((s) => s.name === name));
    if (unknown.length > 0) {
      say(`unknown scenario(s) ${unknown.join(", ")}; known: ${scenarios.map((s) => s.name).join(", ")}`);
      return 2;
    }
    scenarios = scenarios.filter((s) => wanted.includes(s.name));
  }
  // On a time limit or Ctrl-C, exit through process.exit: its exit hook kills every process group still running.
  exitOnStopSignals(); // SIGINT, SIGTERM, SIGHUP
  process.env.METADATA_SERVER_DETECTION ??= "none";
  const started = Date.now();
  const machine = machineInfo();
  const load = sampleMachineLoad();
  say("starting the Pub/Sub and Bigtable emulators ...");
  const emulators = await startEmulators();
  const hosts = { pubsubHost: emulators.pubsub.host, bigtableHost: emulators.bigtable.host };
  const settleTimeoutMs = values.quick ? 45_000 : 120_000;
  const runOne = async (scenario: (typeof scenarios)[number]) => {
    say(`${scenario.name}: ${scenario.description}`);
    const result = await runScenario(hosts, scenario, {
      settleTimeoutMs,
      say,
      connectivity,
      predictProtocol,
    });
    say(formatRow(result));
    return result;
  };
  let results: ScenarioResult[];
  try {
    // Scenarios that wait on the emulator run beside the sequence of the others.
    // Settled into values at once, so a failure there is reported after the sequence, not as an unhandled rejection.
    const background = scenarios
      .filter((s) => s.concurrent === true)
      .map((s) =>
        runOne(s).then(
          (result) => ({ result }),
          (error: unknown) => ({ error }),
        ),
      );
    const settled: ScenarioResult[] = [];
    for (const scenario of scenarios.filter((s) => s.concurrent !== true))
      settled.push(await runOne(scenario));
    for (const outcome of await Promise.all(background)) {
      if ("error" in outcome) throw outcome.error;
      settled.push(outcome.result);
    }
    results = scenarios.map((s) => settled.find((r) => r.name === s.name)!);
  } finally {
    await emulators.stop();
  }
  const machineLoad = load.stop();
  const output = {
    machine,
    machineLoad,
    quick: values.quick,
    sizes,
    inputSubscription: CHAOS_SUBSCRIPTION,
    durationSeconds: Math.round((Date.now() - started) / 1000),
    scenarios: results,
  };
  const jsonPath =
    values.json ?? join(REPO_ROOT, "bench-results", values.quick ? "chaos-quick.json" : "chaos.json");
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify(output, null, 2)}\n`);
  console.log(results.map(formatRow).join("\n"));
  console.log(`machine: ${describeMachineLoad(machineLoad)}`);
  const busy = busyMachineWarning(machineLoad);
  if (busy !== undefined) say(busy);
  const code = chaosExitCode(results);
  console.log(
    code === 0
      ? "\nno message lost, no output over Pub/Sub's limits, every strict scenario routed right"
      : "\nFAILED: see the scenarios with lost > 0, outputs over Pub/Sub limits, or (strict) misrouted or dead-lettered without reason > 0",
  );
  console.log(`result: ${jsonPath}`);
  return code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    say(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
