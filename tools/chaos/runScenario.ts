/**
 * Runs one chaos scenario on running emulators: a fresh platform (own topics,
 * subscriptions, Bigtable instance, model), a worker, a stream of events published at a
 * fixed rate while the scenario injects its fault, then a wait until every message is
 * predicted or dead-lettered (or the time is up), and the books.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type {
  EmulatorHosts,
  LocalPlatform,
  VertexStandInOptions,
  LocalWorkerSettings,
  WorkerProcess,
} from "../../local";
import { eventStream, OutcomeCollector, provisionLocalPlatform, publishLoad, REPO_ROOT } from "../../local";
import type { LocalConnectivity, LocalPredictProtocol } from "../../local";
import type { SubscriptionSettings } from "../../local";
import type { LoadMessage } from "../../local/load/events";
import type { ChaosSample, ScenarioResult } from "./accounting";
import {
  countDeadLetteredWithoutReason,
  countMisrouted,
  judgeOutstanding,
  scenarioResult,
} from "./accounting";
import type { TrailEntry } from "./accounting";
import { startModelProxy } from "./modelProxy";
import { startTcpProxy } from "./tcpProxy";
import type { TcpProxy } from "./tcpProxy";

/**
 * The input subscription of every scenario: Pub/Sub's own dead-letter policy as deployed
 * (5 attempts), but a 10 s ack deadline and 1-5 s retry backoff instead of 60 s and
 * 10-300 s, so a redelivery takes seconds and a scenario fits in CI.
 */
export const CHAOS_SUBSCRIPTION: Partial<SubscriptionSettings> = {
  ackDeadlineSeconds: 10,
  minimumBackoffSeconds: 1,
  maximumBackoffSeconds: 5,
};

/** What a scenario's fault script can reach. */
export interface ScenarioContext {
  platform: LocalPlatform;
  /** Set when the scenario asked for a proxy in front of Bigtable. */
  proxy?: TcpProxy;
  /** Set when the scenario asked for a proxy in front of the model. */
  modelProxy?: TcpProxy;
  /** Reads predictions from one more subscription too (after the predictions topic was re-created). */
  readPredictionsFrom(subscription: string): void;
  /** The worker started last. */
  worker(): WorkerProcess;
  /** Starts another worker (the scenario's settings, then `settings`) and waits until it pulls. */
  startWorker(settings?: LocalWorkerSettings): Promise<WorkerProcess>;
  /** ms since the scenario started publishing. */
  elapsedMs(): number;
  /** Inputs accounted for so far. */
  done(): number;
  /** Resolves when publishing has finished. */
  published: Promise<void>;
  say(line: string): void;
  /** Extra figures for the result. */
  details: Record<string, unknown>;
}

export interface ChaosScenario {
  name: string;
  description: string;
  messages: number;
  /** Publish rate, messages/s; 0 = as fast as possible (a burst). */
  rate: number;
  poisonShare?: number;
  model?: VertexStandInOptions;
  worker?: LocalWorkerSettings;
  /** Overrides of `CHAOS_SUBSCRIPTION` for this scenario's input subscription. */
  inputSubscription?: Partial<SubscriptionSettings>;
  /** Runs beside the other scenarios (it mostly waits on the emulator). Default false. */
  concurrent?: boolean;
  /** Overrides the suite's wait for outcomes once the fault ended, ms. */
  settleTimeoutMs?: number;
  /**
   * Workers are SIGKILLed: judge what is still outstanding after the wait by the workers' own
   * trail (`judgeOutstanding`), since the emulator keeps dealing to dead streams. Default false.
   */
  emulatorDeadStreams?: boolean;
  /** Put a cuttable TCP proxy between the worker and the Bigtable emulator. */
  bigtableProxy?: boolean;
  /** Put a cuttable TCP proxy between the worker and the model (whichever protocol it calls). */
  modelProxy?: boolean;
  /**
   * The fault is a dependency's, not the messages': none may be dead-lettered (the suite fails
   * if one is). Default false.
   */
  noDeadLetters?: boolean;
  /** The scenario's own stream instead of the suite's (`eventStream`); `rate` still paces it. */
  events?(platform: LocalPlatform): Iterable<LoadMessage>;
  /** Runs once the platform is provisioned, before the first worker starts (e.g. seeds rows). */
  prepare?(platform: LocalPlatform): Promise<void>;
  /**
   * Fails the suite unless every valid event is predicted and every dead letter carries a worker
   * reason (misrouted 0, deadLetteredWithoutReason 0), besides nothing lost. Default false.
   */
  strict?: boolean;
  /** Injects the fault while events are published; resolves with when it ended (ms since start). */
  inject(context: ScenarioContext): Promise<number>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runScenario(
  emulators: EmulatorHosts,
  scenario: ChaosScenario,
  options: {
    settleTimeoutMs: number;
    say: (line: string) => void;
    connectivity?: LocalConnectivity;
    predictProtocol?: LocalPredictProtocol;
  },
): Promise<ScenarioResult> {
  const say = (line: string) => options.say(`  ${scenario.name}: ${line}`);
  let proxy: TcpProxy | undefined;
  let hosts = emulators;
  if (scenario.bigtableProxy === true) {
    const [targetHost, targetPort] = emulators.bigtableHost.split(":");
    proxy = await startTcpProxy({ targetHost: targetHost!, targetPort: Number(targetPort) });
    hosts = { ...emulators, bigtableHost: proxy.host };
  }
  const logDir = join(REPO_ROOT, "bench-results", "logs");
  const prefix = `chaos-${scenario.name}`;
  const platform = await provisionLocalPlatform(hosts, {
    prefix,
    bigtableInstance: `chaos-${scenario.name}`,
    inputSubscription: { ...CHAOS_SUBSCRIPTION, ...scenario.inputSubscription },
    model: scenario.model,
    logDir,
    connectivity: options.connectivity,
    predictProtocol: options.predictProtocol,
  });
  const collector = new OutcomeCollector(platform.clients.pubsub, {
    predictionsSubscription: platform.messaging.predictionsSubscription,
    deadLetterSubscription: platform.messaging.deadLetterSubscription,
  });
  let modelProxy: TcpProxy | undefined;
  let modelSettings: LocalWorkerSettings = {};
  if (scenario.modelProxy === true) {
    // The worker calls the model through the proxy, at the address its endpoint type gives.
    const behind = await startModelProxy(platform);
    modelProxy = behind.proxy;
    modelSettings = behind.settings;
  }
  const samples: ChaosSample[] = [];
  // Workers the scenario SIGKILLed (the others lived through the wait).
  const killed = new Set<WorkerProcess>();
  const start = (settings?: LocalWorkerSettings): WorkerProcess => {
    const worker = platform.startWorker({ ...modelSettings, ...scenario.worker, ...settings });
    const kill = worker.kill.bind(worker);
    worker.kill = () => {
      killed.add(worker);
      return kill();
    };
    return worker;
  };
  let sampler: NodeJS.Timeout | undefined;
  try {
    await scenario.prepare?.(platform);
    let current = start();
    await current.ready();
    collector.start();
    const started = performance.now();
    const startedAtEpoch = Date.now();
    const elapsedMs = () => performance.now() - started;
    const sample = () => {
      const counts = collector.counts();
      samples.push({
        atMs: elapsedMs(),
        published: counts.published,
        done: counts.predicted + counts.deadLettered,
      });
    };
    sampler = setInterval(sample, 100);
    const published = publishLoad(
      platform.clients.pubsub,
      scenario.events?.(platform) ??
        eventStream({
          count: scenario.messages,
          entities: platform.entities,
          poisonShare: scenario.poisonShare ?? 0,
          runId: scenario.name,
        }),
      {
        topic: platform.messaging.events.topic,
        rate: scenario.rate,
        onPublished: (message) => collector.recordPublished(message),
      },
    ).then(() => undefined);
    const details: Record<string, unknown> = {};
    const context: ScenarioContext = {
      platform,
      proxy,
      modelProxy,
      readPredictionsFrom: (subscription) => collector.readPredictionsFrom(subscription),
      worker: () => current,
      startWorker: async (settings) => {
        current = start(settings);
        await current.ready();
        return current;
      },
      elapsedMs,
      done: () => {
        const counts = collector.counts();
        return counts.predicted + counts.deadLettered;
      },
      published,
      say,
      details,
    };
    const [faultEndedAtMs] = await Promise.all([scenario.inject(context), published]);
    const remaining = Math.max(5_000, scenario.settleTimeoutMs ?? options.settleTimeoutMs);
    const complete = await collector.waitForAll(remaining);
    sample();
    if (!complete) say(`gave up after ${Math.round(remaining / 1000)} s of waiting`);
    await sleep(500); // late duplicates still in flight are counted too
    sample();
    const outcomes = collector.outcomes();
    const misrouted = countMisrouted(
      outcomes.map((outcome) => ({
        kind: outcome.published.kind,
        predicted: outcome.predictions > 0,
        deadLettered: outcome.deadLetters.length > 0,
      })),
    );
    const deadLetteredWithoutReason = countDeadLetteredWithoutReason(
      outcomes.map((outcome) => ({ predicted: outcome.predictions > 0, deadLetters: outcome.deadLetters })),
    );
    const overLimits = collector.limitViolations();
    if (overLimits.count > 0)
      say(`${overLimits.count} outputs real Pub/Sub would refuse; first: ${overLimits.first}`);
    const reasons: Record<string, number> = {};
    for (const outcome of outcomes) {
      const first = outcome.predictions === 0 ? outcome.deadLetters[0] : undefined;
      if (first !== undefined) reasons[first.reason] = (reasons[first.reason] ?? 0) + 1;
    }
    // Where to look when a message is missing or late: its id (worker logs at debug name it).
    const lost = outcomes.filter((o) => o.predictions === 0 && o.deadLetters.length === 0);
    const slowest = outcomes
      .filter((o) => o.latencyMs !== undefined)
      .sort((a, b) => b.latencyMs! - a.latencyMs!)
      .slice(0, 10)
      .map((o) => ({
        id: o.published.id,
        publishedAtMs: o.published.publishedAt - startedAtEpoch,
        latencyMs: o.latencyMs,
      }));
    await Promise.allSettled(platform.workers.map((worker) => worker.stop()));
    const trail = workerTrail(
      platform.workers.map((_, i) => join(logDir, `${prefix}-worker-${i + 1}.log`)),
      new Set(lost.map((o) => o.published.id)),
      new Date(startedAtEpoch).toISOString(),
    );
    // The workers never killed (here: the last one started), there all through the wait.
    const live = new Set(platform.workers.flatMap((worker, i) => (killed.has(worker) ? [] : [i + 1])));
    const verdict =
      scenario.emulatorDeadStreams === true
        ? judgeOutstanding(Object.keys(trail), trail, live)
        : { lost: Object.keys(trail), heldByEmulator: [] };
    if (verdict.heldByEmulator.length > 0)
      say(
        `${verdict.heldByEmulator.length} still dealt to dead streams by the emulator (no live worker ever got them; trail in the JSON)`,
      );
    const lostTrail = Object.fromEntries(
      lost
        .slice(0, 50)
        .map((o) => [
          o.published.id,
          trail[o.published.id]!.map((e) =>
            e.event === "received"
              ? `worker ${e.worker}: received (attempt ${e.deliveryAttempt ?? "?"})`
              : `worker ${e.worker}: settled ${e.outcome ?? "?"}`,
          ),
        ]),
    );
    const model = platform.model.stats();
    return scenarioResult(scenario.name, scenario.description, collector.counts(), samples, faultEndedAtMs, {
      misrouted,
      heldByEmulator: verdict.heldByEmulator.length,
      noDeadLetters: scenario.noDeadLetters === true,
      deadLetteredWithoutReason,
      outputsOverPubSubLimits: overLimits.count,
      strict: scenario.strict === true,
      details: {
        ...(overLimits.first === undefined ? {} : { firstOutputOverPubSubLimits: overLimits.first }),
        ...details,
        deadLetterReasons: reasons,
        lostIds: lost.slice(0, 50).map((o) => o.published.id),
        lostTrail,
        slowest,
        doneEvery10s: samples.filter((_, i) => i % 100 === 0).map((sample) => sample.done),
        workersStarted: platform.workers.length,
        model: {
          requests: model.requests,
          injectedErrors: model.injectedErrors,
          hangs: model.hangs,
          badAnswers: model.badAnswers,
        },
        rate: scenario.rate,
      },
    });
  } finally {
    clearInterval(sampler);
    await collector.close().catch(() => undefined);
    await platform.stop();
    await proxy?.close();
    await modelProxy?.close();
  }
}

/**
 * What the workers' debug lines (`message received`, `message settled`) say of some input ids,
 * per id in file order (worker 1 first). Log files are appended to across runs, hence `sinceIso`.
 * An empty list: no worker logged the id (a SIGKILLed worker's last unflushed lines are lost).
 */
export function workerTrail(
  logFiles: readonly string[],
  ids: ReadonlySet<string>,
  sinceIso: string,
): Record<string, TrailEntry[]> {
  const trail: Record<string, TrailEntry[]> = {};
  for (const id of ids) trail[id] = [];
  if (ids.size === 0) return trail;
  logFiles.forEach((file, i) => {
    if (!existsSync(file)) return;
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (!line.includes('"messageId"')) continue;
      let entry: {
        time?: string;
        messageId?: string;
        message?: string;
        deliveryAttempt?: number;
        outcome?: string;
      };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      if (entry.messageId === undefined || !ids.has(entry.messageId) || (entry.time ?? "") < sinceIso)
        continue;
      if (entry.message === "message received")
        trail[entry.messageId]!.push({
          worker: i + 1,
          event: "received",
          deliveryAttempt: entry.deliveryAttempt,
        });
      else if (entry.message === "message settled")
        trail[entry.messageId]!.push({ worker: i + 1, event: "settled", outcome: entry.outcome });
    }
  });
  return trail;
}
