/**
 * `npx tsx tools/bench/profileWorker.ts [--messages N] [--compiled] [--json file]`: drains a
 * backlog with the worker under `node --cpu-prof` (default settings: batch 50, 4 in flight)
 * and prints its CPU per message by pipeline stage (see ./cpuProfile.ts).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BATCHING_DEFAULTS } from "../../contract";
import { COMPILED_WORKER_ENTRY, REPO_ROOT, startEmulators } from "../../local";
import { runBacklog } from "./backlogRun";
import { stageBreakdown, STAGES, type CpuProfile } from "./cpuProfile";
import { sampleLoad } from "./machineLoad";

const say = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      messages: { type: "string", default: "20000" },
      compiled: { type: "boolean", default: false },
      json: { type: "string" },
    },
    strict: true,
  });
  const messages = Number(values.messages);
  if (values.compiled) {
    say("building the worker (npm run build -w worker) ...");
    execFileSync("npm", ["run", "build", "-w", "worker"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  const dir = join(REPO_ROOT, "bench-results", `cpu-prof-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const load = sampleLoad();
  const emulators = await startEmulators();
  try {
    const run = await runBacklog(
      { pubsubHost: emulators.pubsub.host, bigtableHost: emulators.bigtable.host },
      {
        name: `profile-${Date.now() % 100_000}`,
        messages,
        modelLatencyMs: 30,
        settings: {
          maxBatchSize: BATCHING_DEFAULTS.maxBatchSize,
          maxInFlight: BATCHING_DEFAULTS.maxInFlight,
          maxBatchDelayMs: BATCHING_DEFAULTS.maxBatchDelayMs,
        },
        timeoutMs: 300_000,
        say,
        workerEntry: values.compiled ? COMPILED_WORKER_ENTRY : undefined,
        nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
      },
    );
    const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
    if (file === undefined) throw new Error(`no .cpuprofile written in ${dir}`);
    const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
    const breakdown = stageBreakdown(profile, messages);
    const loadAverage = load.stop();
    console.log(
      `worker ${values.compiled ? "compiled" : "under tsx"}, ${messages} messages, ${run.throughput} msg/s, ` +
        `CPU from /proc ${run.workerCpuMsPerMessage ?? "?"} ms/msg, profiled ${breakdown.totalMsPerMessage} ms/msg ` +
        `(load ${loadAverage.atStart} at start, max ${loadAverage.max})`,
    );
    // Profile sample times are wall-clock (a descheduled process still ticks on a busy machine):
    // the shares are what the profile tells; the ms are the shares of the CPU time /proc counted.
    const cpuMs = run.workerCpuMsPerMessage ?? breakdown.totalMsPerMessage;
    const msByStage = Object.fromEntries(
      STAGES.map((stage) => [stage, Math.round(breakdown.share[stage] * cpuMs * 1000) / 1000]),
    );
    console.log("| stage | CPU ms / message | share of busy CPU |\n| --- | --- | --- |");
    for (const stage of STAGES.filter((s) => s !== "idle"))
      console.log(`| ${stage} | ${msByStage[stage]} | ${Math.round(breakdown.share[stage] * 100)}% |`);
    if (values.json !== undefined)
      writeFileSync(
        values.json,
        `${JSON.stringify({ run, breakdown, msByStage, loadAverage, profile: join(dir, file) }, null, 2)}\n`,
      );
    else rmSync(dir, { recursive: true, force: true });
  } finally {
    await emulators.stop();
  }
}

main().catch((error: unknown) => {
  say(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
