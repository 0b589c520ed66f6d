/**
 * `npm run bench -- [--quick] [--json <file>] [--docs]`: the worker end to end on the
 * emulators against the local model with a fixed latency. In one run (so ratios are
 * fair): the batching worker (work-conserving, and the timer policy to compare), a naive
 * one (batch size 1), the null worker (the same clients and streams, publish + ack only:
 * the ceiling the worker could reach), an ack-only subscriber (information), latency at
 * low load, peak memory on a large backlog, and a sweep of batch size x in flight
 * (Markdown table + SVG chart). Figures, not pass/fail: the exit code is 0 unless the
 * run itself failed or lost messages.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { execFileSync } from "node:child_process";
import { BATCHING_DEFAULTS } from "../contract";
import { COMPILED_WORKER_ENTRY, localClients, REPO_ROOT, startEmulators } from "../local";
import type { EmulatorHosts } from "../local";
import { exitOnStopSignals } from "../local/lifecycle/stopSignals";
import { runBacklog } from "../tools/bench/backlogRun";
import type { LocalWorkerSettings } from "../local";
import type { BacklogRunResult } from "../tools/bench/backlogRun";
import { measureCeiling } from "../tools/bench/ceiling";
import type { CeilingResult } from "../tools/bench/ceiling";
import { ratios, spread, throughputBound } from "../tools/bench/figures";
import { measureLowLoad } from "../tools/bench/lowLoad";
import { machineInfo } from "../tools/bench/machine";
import { sampleLoad } from "../tools/bench/machineLoad";
import { BENCH_USAGE, parseBenchArgs, sweepCellMessages } from "../tools/bench/plan";
import type { BenchPlan } from "../tools/bench/plan";
import { goals, plateaus, sweepChart, sweepTable } from "../tools/bench/report";
import type { SweepCell } from "../tools/bench/report";
import { lineChartSvg } from "../tools/bench/svgChart";

const say = (line: string) => process.stderr.write(`${line}\n`);
const RESULTS_DIR = join(REPO_ROOT, "bench-results");
const DOCS_CHART = join(REPO_ROOT, "docs", "bench-sweep.svg");
/** The null worker (see tools/bench/nullWorker.ts), run as a worker process. */
const NULL_WORKER_ENTRY = join(REPO_ROOT, "tools", "bench", "nullWorker.ts");
/** Messages of the uncounted run that warms the emulators up before the measured ones. */
const WARM_UP_MESSAGES = 10_000;

function workerSettings(
  maxBatchSize: number,
  maxInFlight: number,
  maxBatchDelayMs: number,
  batchPolicy: "work-conserving" | "timer" = "work-conserving",
): LocalWorkerSettings {
  return { maxBatchSize, maxInFlight, maxBatchDelayMs, batchPolicy };
}

async function run(plan: BenchPlan & { docs: boolean }): Promise<number> {
  const started = Date.now();
  const load = sampleLoad();
  const machine = machineInfo();
  say(
    `machine: ${machine.cpus} cpus, ${machine.memoryGb} GB, node ${machine.node}, load ${machine.loadAverageAtStart}`,
  );
  if (machine.loadAverageAtStart > machine.cpus / 2)
    say(
      `WARNING: the machine is busy (1-min load ${machine.loadAverageAtStart} on ${machine.cpus} cores): ` +
        "other processes compete with the run; take its figures as a lower bound",
    );
  if (plan.compiled) {
    say("building the worker (npm run build -w worker) ...");
    execFileSync("npm", ["run", "build", "-w", "worker"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  const workerEntry = plan.compiled ? COMPILED_WORKER_ENTRY : undefined;
  say("starting the Pub/Sub and Bigtable emulators ...");
  const emulators = await startEmulators();
  const hosts: EmulatorHosts = { pubsubHost: emulators.pubsub.host, bigtableHost: emulators.bigtable.host };
  const clients = localClients(hosts);
  const timeoutMs = plan.quick ? 60_000 : 300_000;
  const { batched } = plan;
  const scenarios: Array<BacklogRunResult | (CeilingResult & { name: string })> = [];
  let lossCount = 0;
  let sequence = 0;
  const backlog = async (
    label: string,
    messages: number,
    settings: LocalWorkerSettings,
    nodeArgs?: string[],
    entry: string | undefined = workerEntry,
  ) => {
    const result = await runBacklog(hosts, {
      name: `${label}-${++sequence}`,
      messages,
      modelLatencyMs: plan.modelLatencyMs,
      settings,
      timeoutMs,
      say,
      workerEntry: entry,
      nodeArgs,
      connectivity: plan.connectivity,
      predictProtocol: plan.predictProtocol,
    });
    lossCount += result.lost;
    say(
      `${result.name}: ${result.throughput} msg/s steady (${result.overallThroughput} overall), ` +
        `mean batch ${result.meanBatchSize ?? "?"}, worker CPU ${result.workerCpuMsPerMessage ?? "?"} ms/msg, ` +
        `peak RSS ${result.workerPeakRssMb ?? "?"} MB, lost ${result.lost}; cores busy ${JSON.stringify(result.cpuCores ?? {})}`,
    );
    scenarios.push(result);
    return result;
  };

  try {
    const batchedRuns: number[] = [];
    const batchedCpu: number[] = [];
    const timerRuns: number[] = [];
    const naiveRuns: number[] = [];
    const nullRuns: number[] = [];
    const ceilingRuns: number[] = [];
    const defaults = workerSettings(batched.maxBatchSize, batched.maxInFlight, batched.maxBatchDelayMs);
    // The emulators (the Pub/Sub one is Java) speed up as their JIT warms: without a warm-up the
    // first run measured is slowed by it (batched ran 13-30% below the timer policy run after it).
    say(`warm-up, not counted: ${WARM_UP_MESSAGES} messages through the worker`);
    const warmUp = await runBacklog(hosts, {
      name: `warmup-${++sequence}`,
      messages: WARM_UP_MESSAGES,
      modelLatencyMs: plan.modelLatencyMs,
      settings: defaults,
      timeoutMs,
      say,
      workerEntry,
      connectivity: plan.connectivity,
      predictProtocol: plan.predictProtocol,
    });
    lossCount += warmUp.lost;
    const timer = { ...defaults, batchPolicy: "timer" as const };
    const runBatched = async () => {
      const run = await backlog("batched", batched.messages, defaults);
      batchedRuns.push(run.throughput);
      if (run.workerCpuMsPerMessage !== undefined) batchedCpu.push(run.workerCpuMsPerMessage);
    };
    const runTimer = async () => {
      timerRuns.push((await backlog("timer", batched.messages, timer)).throughput);
    };
    const runNull = async () => {
      nullRuns.push(
        (await backlog("nullworker", plan.nullWorker.messages, defaults, undefined, NULL_WORKER_ENTRY))
          .throughput,
      );
    };
    for (let i = 0; i < plan.repeats; i++) {
      // The two policies swap places every repeat: runs drift faster as the emulators warm, and a
      // fixed order gave the later policy the edge (one run each is within ~15% noise anyway).
      const batchedFirst = i % 2 === 0;
      say(
        `repeat ${i + 1}/${plan.repeats}: ` +
          (batchedFirst ? "batched, null worker, timer policy" : "timer policy, null worker, batched") +
          ", naive, ack-only",
      );
      for (const step of batchedFirst ? [runBatched, runNull, runTimer] : [runTimer, runNull, runBatched]) {
        await step();
      }
      const naive = workerSettings(1, batched.maxInFlight, batched.maxBatchDelayMs);
      naiveRuns.push((await backlog("naive", plan.naive.messages, naive)).throughput);
      const ceiling = await measureCeiling(clients, {
        name: `ceiling-${++sequence}`,
        messages: plan.ceiling.messages,
        timeoutMs,
      });
      say(`ack-only: ${ceiling.throughput} msg/s (consume + ack, no work, the library's default streams)`);
      scenarios.push({ name: `ceiling-${sequence}`, ...ceiling });
      ceilingRuns.push(ceiling.throughput);
    }
    const bound = throughputBound(batched.maxInFlight, batched.maxBatchSize, plan.modelLatencyMs);
    const batchedSpread = spread(batchedRuns);
    const timerSpread = spread(timerRuns);
    const naiveSpread = spread(naiveRuns);
    const nullSpread = spread(nullRuns);
    const ceilingSpread = spread(ceilingRuns);
    const workerCpuMsPerMessage =
      batchedCpu.length > 0 ? [...batchedCpu].sort((a, b) => a - b)[batchedCpu.length >> 1] : undefined;
    const ratio = ratios({
      batched: batchedSpread.median,
      naive: naiveSpread.median,
      nullWorker: nullSpread.median,
      bound,
      ackOnly: ceilingSpread.median,
      timer: timerSpread.median,
    });

    say(`low load: ${plan.lowLoad.rate} msg/s for ${plan.lowLoad.messages} messages`);
    const lowLoad = await measureLowLoad(hosts, {
      name: `lowload-${++sequence}`,
      rate: plan.lowLoad.rate,
      messages: plan.lowLoad.messages,
      modelLatencyMs: plan.modelLatencyMs,
      settings: defaults,
      maxBatchDelayMs: batched.maxBatchDelayMs,
      workerEntry,
      connectivity: plan.connectivity,
      predictProtocol: plan.predictProtocol,
    });
    lossCount += lowLoad.lost;
    // The same load with the timer policy, for comparison in the same run (information).
    const lowLoadTimer = await measureLowLoad(hosts, {
      name: `lowload-timer-${++sequence}`,
      rate: plan.lowLoad.rate,
      messages: plan.lowLoad.messages,
      modelLatencyMs: plan.modelLatencyMs,
      settings: { ...defaults, batchPolicy: "timer" },
      maxBatchDelayMs: batched.maxBatchDelayMs,
      workerEntry,
    });
    lossCount += lowLoadTimer.lost;
    say(`low load, timer policy: p50 ${lowLoadTimer.p50Ms} ms, p99 ${lowLoadTimer.p99Ms} ms`);
    say(
      `low load: p50 ${lowLoad.p50Ms} ms, p99 ${lowLoad.p99Ms} ms, added p99 ${lowLoad.addedP99Ms} ms ` +
        `(worker's own p50 ${lowLoad.workerP50Ms} ms, p99 ${lowLoad.workerP99Ms} ms)`,
    );

    say(`backlog: ${plan.backlog.messages} messages`);
    const big = await backlog("backlog", plan.backlog.messages, defaults);
    const heapFlag = `--max-old-space-size=${plan.backlog.maxOldSpaceMb}`;
    let capped: BacklogRunResult | undefined;
    if (plan.backlog.heapCapRun) {
      say(`backlog again with ${heapFlag}`);
      capped = await backlog("backlog-heapcap", plan.backlog.messages, defaults, [heapFlag]);
    }

    say(
      `sweep: batch sizes ${plan.sweep.batchSizes.join(", ")} x in flight ${plan.sweep.inFlight.join(", ")}`,
    );
    const cells: SweepCell[] = [];
    for (const maxBatchSize of plan.sweep.batchSizes) {
      for (const maxInFlight of plan.sweep.inFlight) {
        const cellBound = throughputBound(maxInFlight, maxBatchSize, plan.modelLatencyMs);
        const isDefault = maxBatchSize === batched.maxBatchSize && maxInFlight === batched.maxInFlight;
        // The default cell was measured above (median of the repeats); measuring it again adds nothing.
        const throughput = isDefault
          ? batchedSpread.median
          : (
              await backlog(
                `sweep-b${maxBatchSize}-f${maxInFlight}`,
                sweepCellMessages(plan, maxBatchSize, maxInFlight),
                workerSettings(maxBatchSize, maxInFlight, batched.maxBatchDelayMs),
              )
            ).throughput;
        cells.push({ maxBatchSize, maxInFlight, throughput, bound: cellBound });
      }
    }

    const table = sweepTable(cells, plan.sweep.batchSizes, plan.sweep.inFlight);
    const chart = lineChartSvg(
      sweepChart(cells, plan.sweep.batchSizes, plan.sweep.inFlight, nullSpread.median, plan.modelLatencyMs),
    );
    const loadAverage = load.stop();
    const result = {
      machine,
      loadAverage,
      quick: plan.quick,
      connectivity: plan.connectivity,
      predictProtocol: plan.predictProtocol,
      reduced: plan.reduced,
      modelLatencyMs: plan.modelLatencyMs,
      durationSeconds: Math.round((Date.now() - started) / 1000),
      scenarios,
      throughput: {
        batched: batchedSpread,
        timerPolicy: timerSpread,
        naive: naiveSpread,
        nullWorker: nullSpread,
        ackOnly: ceilingSpread,
        bound,
      },
      pullStreams: BATCHING_DEFAULTS.pullStreams,
      ratios: ratio,
      workerCpuMsPerMessage,
      lowLoad: { ...lowLoad, timerPolicy: lowLoadTimer },
      worker: plan.compiled ? "compiled (worker/dist)" : "source under tsx",
      backlog: {
        messages: big.messages,
        peakRssMb: big.workerPeakRssMb,
        throughput: big.throughput,
        heapCapped:
          capped === undefined
            ? undefined
            : { nodeArgs: [heapFlag], peakRssMb: capped.workerPeakRssMb, throughput: capped.throughput },
      },
      sweep: {
        batchSizes: plan.sweep.batchSizes,
        inFlight: plan.sweep.inFlight,
        cells,
        plateauBatchSize: plateaus(cells, plan.sweep.batchSizes, plan.sweep.inFlight),
        table,
      },
      goals: goals({
        batchedVsNaive: ratio.batchedVsNaive,
        efficiency: ratio.efficiency,
        addedP99Ms: lowLoad.addedP99Ms,
        workConservingVsTimer: ratio.workConservingVsTimer,
        peakRssMb: big.workerPeakRssMb,
        workerCpuMsPerMessage,
      }),
    };

    mkdirSync(RESULTS_DIR, { recursive: true });
    const jsonPath = plan.json ?? join(RESULTS_DIR, plan.quick ? "bench-quick.json" : "bench.json");
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
    const chartPath = jsonPath.replace(/\.json$/, "") + "-sweep.svg";
    writeFileSync(chartPath, chart);
    if (plan.docs) {
      mkdirSync(dirname(DOCS_CHART), { recursive: true });
      writeFileSync(DOCS_CHART, chart);
    }

    console.log(
      `\nthroughput (median of ${plan.repeats}, msg/s): batched ${batchedSpread.median} ` +
        `[${batchedSpread.min}-${batchedSpread.max}], timer policy ${timerSpread.median}, ` +
        `naive ${naiveSpread.median} [${naiveSpread.min}-${naiveSpread.max}], ` +
        `null worker ${nullSpread.median} [${nullSpread.min}-${nullSpread.max}], ` +
        `ack-only ${ceilingSpread.median}, bound ${Math.round(bound)}`,
    );
    console.log(
      `ratios: batchedVsNaive ${ratio.batchedVsNaive}, efficiency ${ratio.efficiency} (of the null worker), ` +
        `workConservingVsTimer ${ratio.workConservingVsTimer}, of bound ${ratio.ofBound}, of ack-only ${ratio.ofAckOnly}; ` +
        `worker CPU ${workerCpuMsPerMessage ?? "?"} ms/msg`,
    );
    console.log(
      `machine load (1 min): ${loadAverage.atStart} at start, max ${loadAverage.max}, mean ${loadAverage.mean} on ${loadAverage.cpus} cores` +
        (loadAverage.busyAtStart ? " (BUSY: other work competed)" : ""),
    );
    console.log(
      `low load: p50 ${lowLoad.p50Ms} ms, p99 ${lowLoad.p99Ms} ms, added p99 ${lowLoad.addedP99Ms} ms ` +
        `(timer policy: p50 ${lowLoadTimer.p50Ms} ms, p99 ${lowLoadTimer.p99Ms} ms)`,
    );
    console.log(
      `backlog ${big.messages}: worker peak RSS ${big.workerPeakRssMb ?? "?"} MB (${big.throughput} msg/s)` +
        (capped === undefined
          ? ""
          : `; with ${heapFlag}: ${capped.workerPeakRssMb ?? "?"} MB (${capped.throughput} msg/s)`),
    );
    console.log(`\nsweep (msg/s, share of the bound):\n${table}\n`);
    for (const goal of result.goals) {
      console.log(`goal ${goal.name} ${goal.target}: ${goal.value} ${goal.met ? "met" : "MISSED"}`);
    }
    console.log(`\nresult: ${jsonPath}; chart: ${chartPath}${plan.docs ? ` and ${DOCS_CHART}` : ""}`);
    if (lossCount > 0) say(`${lossCount} messages were not accounted for: the run is not valid`);
    return lossCount > 0 ? 1 : 0;
  } finally {
    await clients.close().catch(() => undefined);
    await emulators.stop();
  }
}

function main(): void {
  let plan: ReturnType<typeof parseBenchArgs>;
  try {
    plan = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    say(`${(error as Error).message}\n${BENCH_USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (plan === "help") {
    console.log(BENCH_USAGE);
    return;
  }
  // On a time limit or Ctrl-C, exit through process.exit: its exit hook kills every process group still running.
  exitOnStopSignals(); // SIGINT, SIGTERM, SIGHUP
  process.env.METADATA_SERVER_DETECTION ??= "none";
  run(plan).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      say(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = 1;
    },
  );
}

main();
