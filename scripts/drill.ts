/**
 * `npm run drill -- [--quick] [--json <file>] [--mode standby|active-active]`: the failover drill on
 * the local twin (tools/drill/runDrill.ts), in both modes by default. Exits 1 if an event was lost,
 * the failover command failed, or the de-duplicating views' rule did not give one row per event.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT, startEmulators } from "../local";
import { exitOnStopSignals } from "../local/lifecycle/stopSignals";
import { busyMachineWarning, describeMachineLoad, sampleMachineLoad } from "../local/report/machineLoad";
import { machineInfo } from "../tools/bench/machine";
import type { DrillMode, DrillResult, DrillSizes } from "../tools/drill/runDrill";
import { runDrill } from "../tools/drill/runDrill";

const USAGE = `usage: npm run drill -- [--quick] [--json <file>] [--mode standby|active-active]
  --quick        CI variant: a shorter stream, the same kill and failover
  --json <file>  write { machine, machineLoad, modes: [...] } (default bench-results/drill[-quick].json)
  --mode         run one mode only (default both)`;

export const QUICK_SIZES: DrillSizes = { rate: 100, seconds: 20, killAfterSeconds: 8, settleSeconds: 60 };
export const FULL_SIZES: DrillSizes = { rate: 200, seconds: 60, killAfterSeconds: 25, settleSeconds: 120 };

const say = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (ms: number | null) => (ms === null ? "never" : `${(ms / 1000).toFixed(1)} s`);

function formatRow(r: DrillResult): string {
  return (
    `${r.mode.padEnd(13)} published ${r.published} | predicted ${r.predicted} | lost ${r.lost}` +
    ` | duplicates ${r.duplicates.acrossRegions} across regions (+${r.duplicates.withinRegion} within)` +
    ` | recovery: first prediction from B ${seconds(r.recovery.toFirstPredictionMs)}, backlog drained ` +
    `${seconds(r.recovery.toBacklogDrainedMs)} after the kill | replay window ${r.replayWindow.seconds} s` +
    ` | dedup views ${r.dedup.ok ? "ok" : "WRONG"} (${r.dedup.rows} rows -> ${r.dedup.latestPerEvent} per event, ${r.dedup.latestPerEntity} per entity)`
  );
}

export function drillExitCode(results: readonly DrillResult[]): number {
  return results.every(
    (r) => r.lost === 0 && r.failover.exitCode === 0 && r.dedup.ok && r.duplicates.wrongMessageId === 0,
  )
    ? 0
    : 1;
}

async function main(): Promise<number> {
  let values: { quick: boolean; json?: string; mode?: string; help: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        quick: { type: "boolean", default: false },
        json: { type: "string" },
        mode: { type: "string" },
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
  const modes: DrillMode[] =
    values.mode === undefined ? ["standby", "active-active"] : [values.mode as DrillMode];
  if (!modes.every((m) => m === "standby" || m === "active-active")) {
    say(`--mode ${values.mode}: standby or active-active\n${USAGE}`);
    return 2;
  }
  exitOnStopSignals(); // SIGINT, SIGTERM, SIGHUP: the exit hook kills every process group still running
  process.env.METADATA_SERVER_DETECTION ??= "none";
  const sizes = values.quick ? QUICK_SIZES : FULL_SIZES;
  const started = Date.now();
  const machine = machineInfo();
  const load = sampleMachineLoad();
  say("starting the Pub/Sub and Bigtable emulators ...");
  const emulators = await startEmulators();
  const hosts = { pubsubHost: emulators.pubsub.host, bigtableHost: emulators.bigtable.host };
  const results: DrillResult[] = [];
  try {
    for (const mode of modes) {
      const result = await runDrill(hosts, mode, sizes, say);
      say(formatRow(result));
      results.push(result);
    }
  } finally {
    await emulators.stop();
  }
  const machineLoad = load.stop();
  const jsonPath =
    values.json ?? join(REPO_ROOT, "bench-results", values.quick ? "drill-quick.json" : "drill.json");
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(
    jsonPath,
    `${JSON.stringify({ machine, machineLoad, quick: values.quick, durationSeconds: Math.round((Date.now() - started) / 1000), modes: results }, null, 2)}\n`,
  );
  console.log(results.map(formatRow).join("\n"));
  console.log(`machine: ${describeMachineLoad(machineLoad)}`);
  const busy = busyMachineWarning(machineLoad);
  if (busy !== undefined) say(busy);
  const code = drillExitCode(results);
  console.log(
    code === 0 ? "\nno event lost; failover done in both modes" : "\nDRILL FAILED: see the modes above",
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
