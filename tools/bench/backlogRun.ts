/**
 * One measurement: publish a backlog, then start the real worker and time how fast it
 * drains it. Publishing first keeps the load generator off the CPU while the worker
 * runs; the rate is read between 10% and 90% done (see `steadyRate`).
 */
import { join } from "node:path";
import type { EmulatorHosts, LocalWorkerSettings } from "../../local";
import { eventStream, OutcomeCollector, provisionLocalPlatform, publishLoad, REPO_ROOT } from "../../local";
import type { LocalConnectivity, LocalPredictProtocol } from "../../local";
import type { CpuSample } from "./figures";
import { round, steadyCpuPerMessage, steadyRate } from "./figures";
import { readMachineCpu, readProcessCpuMs, readProcessMemory } from "./procStatus";

export interface BacklogRunOptions {
  /** Unique per run: names the topics, subscriptions and Bigtable instance. */
  name: string;
  messages: number;
  modelLatencyMs: number;
  settings: LocalWorkerSettings;
  /** Entities seeded and referenced. Default 1000. */
  entities?: number;
  /** Give up after this long once the worker is ready, ms. */
  timeoutMs: number;
  /** Worker entry (see `LocalPlatformOptions.workerEntry`); default the TypeScript source under tsx. */
  workerEntry?: string;
  /** Extra node flags for the worker (e.g. a heap cap). */
  nodeArgs?: readonly string[];
  /** Progress lines go here. */
  say: (line: string) => void;
  /** Endpoint type the stand-in plays (`--connectivity`). Default psc. */
  connectivity?: LocalConnectivity;
  /** How the worker calls it (`--protocol`). Default http. */
  predictProtocol?: LocalPredictProtocol;
}

export interface BacklogRunResult {
  name: string;
  messages: number;
  settings: LocalWorkerSettings;
  /** Steady-state throughput (10% -> 90% of the backlog), messages/s. */
  throughput: number;
  /** Whole drain, worker ready -> last outcome, messages/s. */
  overallThroughput: number;
  drainSeconds: number;
  lost: number;
  duplicates: number;
  /** Worker peak resident set (VmHWM), MB. */
  workerPeakRssMb?: number;
  /** Cores in use while draining: the whole machine, the worker, this process (collector + model), the rest. */
  cpuCores?: CpuShares;
  /** Worker CPU time (user + system) per message between 10% and 90% drained, ms: 1000 / this is what one core allows. */
  workerCpuMsPerMessage?: number;
  /** Worker resident set about once a second while it drained, MB. */
  workerRssMbEverySecond: number[];
  /** Worker counters from its "drained" line (batch sizes, predict calls). */
  meanBatchSize?: number;
  predictCalls?: Record<string, number>;
}

export interface CpuShares {
  machine: number;
  worker: number;
  driver: number;
  /** Emulators and anything else running on the machine. */
  rest: number;
}

/** CPU times over a wall-clock interval, as cores in use. */
export function cpuShares(times: {
  wallMs: number;
  machineBusyMs: number;
  workerMs: number;
  driverMs: number;
}): CpuShares {
  const cores = (ms: number) => round(ms / times.wallMs, 2);
  return {
    machine: cores(times.machineBusyMs),
    worker: cores(times.workerMs),
    driver: cores(times.driverMs),
    rest: cores(Math.max(0, times.machineBusyMs - times.workerMs - times.driverMs)),
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runBacklog(
  hosts: EmulatorHosts,
  options: BacklogRunOptions,
): Promise<BacklogRunResult> {
  const entities = options.entities ?? 1000;
  const platform = await provisionLocalPlatform(hosts, {
    prefix: `bench-${options.name}`,
    bigtableInstance: `bench-${options.name}`,
    entities,
    model: { latency: { fixedMs: options.modelLatencyMs } },
    logDir: join(REPO_ROOT, "bench-results", "logs"),
    workerEntry: options.workerEntry,
    connectivity: options.connectivity,
    predictProtocol: options.predictProtocol,
  });
  const collector = new OutcomeCollector(platform.clients.pubsub, {
    predictionsSubscription: platform.messaging.predictionsSubscription,
    deadLetterSubscription: platform.messaging.deadLetterSubscription,
  });
  try {
    collector.start();
    await publishLoad(
      platform.clients.pubsub,
      eventStream({ count: options.messages, entities, runId: options.name }),
      {
        topic: platform.messaging.events.topic,
        rate: 0,
        onPublished: (message) => collector.recordPublished(message),
      },
    );
    const worker = platform.startWorker(options.settings, options.nodeArgs);
    await worker.ready();
    const pid = worker.process.pid;
    const cpuAtStart = readProcessCpuMs(pid);
    const machineAtStart = readMachineCpu();
    const driverAtStart = process.cpuUsage();
    const start = performance.now();
    const samples: CpuSample[] = [{ atMs: 0, done: 0, cpuMs: cpuAtStart ?? 0 }];
    let peakRssMb = 0;
    const rssTrace: number[] = [];
    let lastSay = 0;
    for (;;) {
      const counts = collector.counts();
      const now = performance.now() - start;
      samples.push({
        atMs: now,
        done: counts.predicted + counts.deadLettered,
        cpuMs: readProcessCpuMs(pid) ?? 0,
      });
      const memory = readProcessMemory(pid);
      peakRssMb = Math.max(peakRssMb, memory?.peakRssMb ?? 0);
      if (memory !== undefined && samples.length % 5 === 0) rssTrace.push(memory.rssMb);
      if (counts.outstanding === 0 || now > options.timeoutMs || !worker.process.isRunning()) break;
      if (now - lastSay >= 5000) {
        lastSay = now;
        options.say(
          `  ${options.name}: ${samples.at(-1)!.done}/${options.messages} after ${Math.round(now / 1000)} s`,
        );
      }
      await sleep(200);
    }
    const drainMs = samples.at(-1)!.atMs;
    const cpuAtEnd = readProcessCpuMs(pid);
    const machineAtEnd = readMachineCpu();
    const driver = process.cpuUsage(driverAtStart);
    const counts = collector.counts();
    await worker.stop();
    const stats = worker.finalStats();
    const calls = Object.entries(stats?.batchSizes ?? {}).reduce((sum, [, n]) => sum + n, 0);
    const instances = Object.entries(stats?.batchSizes ?? {}).reduce(
      (sum, [size, n]) => sum + Number(size) * n,
      0,
    );
    const done = counts.predicted + counts.deadLettered;
    return {
      name: options.name,
      messages: options.messages,
      settings: options.settings,
      throughput: round(steadyRate(samples, options.messages) ?? (done * 1000) / drainMs, 1),
      overallThroughput: round((done * 1000) / drainMs, 1),
      drainSeconds: round(drainMs / 1000, 2),
      lost: counts.outstanding,
      duplicates: counts.duplicates,
      workerPeakRssMb: peakRssMb > 0 ? peakRssMb : undefined,
      cpuCores:
        machineAtStart === undefined ||
        machineAtEnd === undefined ||
        cpuAtStart === undefined ||
        cpuAtEnd === undefined
          ? undefined
          : cpuShares({
              wallMs: drainMs,
              machineBusyMs: machineAtEnd.busyMs - machineAtStart.busyMs,
              workerMs: cpuAtEnd - cpuAtStart,
              driverMs: (driver.user + driver.system) / 1000,
            }),
      workerCpuMsPerMessage:
        cpuAtStart === undefined || cpuAtEnd === undefined || done === 0
          ? undefined
          : round(steadyCpuPerMessage(samples, options.messages) ?? (cpuAtEnd - cpuAtStart) / done, 3),
      workerRssMbEverySecond: rssTrace,
      meanBatchSize: calls > 0 ? round(instances / calls, 1) : undefined,
      predictCalls: stats?.predictCalls,
    };
  } finally {
    await collector.close().catch(() => undefined);
    await platform.stop();
  }
}
