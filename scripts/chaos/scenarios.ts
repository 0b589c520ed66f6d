/**
 * The chaos scenarios. Each publishes a stream of events while it injects one fault,
 * and says when the fault ended (recovery is measured from there). Sizes shrink with
 * `--quick`; the faults do not.
 */
import { status } from "@grpc/grpc-js";
import type { ChaosScenario, ScenarioContext } from "./runScenario";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Model latency in every scenario, ms. */
export const CHAOS_MODEL_LATENCY_MS = 20;
/** The worker's predict deadline in the hang scenario (default 10 s; shorter keeps the run short). */
export const HANG_PREDICT_TIMEOUT_MS = 2_000;

export interface ChaosSizes {
  /** Events per second in the streaming scenarios. */
  rate: number;
  /** Seconds of publishing in the streaming scenarios. */
  seconds: number;
  /** Messages in the SIGTERM burst. */
  burst: number;
  /** Events per second and seconds of publishing while the worker is killed (the stream must outlast three restarts). */
  killRate: number;
  killSeconds: number;
  /** How long the SIGKILL scenario waits for outcomes after the last restart (the worker leases for 60 s). */
  killSettleSeconds: number;
}

/**
 * The kill rate stays low on purpose: a killed subscriber leaves behind what the emulator had
 * pushed to it (it pushes past flow control) plus what arrives before the replacement pulls, and
 * the Pub/Sub emulator re-delivers only part of a large set of such abandoned messages; the rest
 * stay undelivered for minutes (reproduced with bare clients by ./emulatorRedelivery.ts; see
 * docs/performance.md). Real Pub/Sub re-delivers each one when its lease runs out.
 */
export const QUICK_SIZES: ChaosSizes = {
  rate: 250,
  seconds: 10,
  burst: 4_000,
  killRate: 30,
  killSeconds: 30,
  killSettleSeconds: 120,
};
export const FULL_SIZES: ChaosSizes = {
  rate: 500,
  seconds: 30,
  burst: 20_000,
  killRate: 30,
  killSeconds: 45,
  killSettleSeconds: 240,
};

/** A fault that lasts while events are published: the model misbehaves, then recovers. */
async function whilePublishing(context: ScenarioContext, clear: () => void): Promise<number> {
  await context.published;
  clear();
  return context.elapsedMs();
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

export function chaosScenarios(sizes: ChaosSizes): ChaosScenario[] {
  const streamed = sizes.rate * sizes.seconds;
  const model = { latency: { fixedMs: CHAOS_MODEL_LATENCY_MS } };
  return [
    {
      name: "model-unavailable-30pct",
      description: "the model answers UNAVAILABLE on 30% of calls while events are published",
      messages: streamed,
      rate: sizes.rate,
      model: { ...model, faults: { errorRate: 0.3, errorCode: status.UNAVAILABLE } },
      inject: (context) => whilePublishing(context, () => context.platform.model.setFaults({ errorRate: 0 })),
    },
    {
      name: "model-hangs-5pct",
      description: `the model never answers 5% of calls (the worker's deadline is ${HANG_PREDICT_TIMEOUT_MS} ms)`,
      messages: streamed,
      rate: sizes.rate,
      model: { ...model, faults: { hangRate: 0.05 } },
      worker: { predictTimeoutMs: HANG_PREDICT_TIMEOUT_MS },
      inject: (context) => whilePublishing(context, () => context.platform.model.setFaults({ hangRate: 0 })),
    },
    {
      name: "poison-5pct",
      description: "5% poison messages (invalid JSON, missing ids, unknown entity, out-of-range feature)",
      messages: streamed,
      rate: sizes.rate,
      poisonShare: 0.05,
      model,
      inject: async (context) => {
        await context.published;
        return context.elapsedMs();
      },
    },
    {
      name: "sigkill-x3",
      description: "the worker is killed with SIGKILL three times mid-stream and restarted each time",
      messages: sizes.killRate * sizes.killSeconds,
      rate: sizes.killRate,
      model,
      // The emulator hands a killed subscriber's messages out again only after ~60 s (some later):
      // the scenario waits on the emulator, not on CPU, so it runs beside the others.
      concurrent: true,
      settleTimeoutMs: sizes.killSettleSeconds * 1000,
      inject: async (context) => {
        const kills: number[] = [];
        const restarts: number[] = [];
        for (let i = 0; i < 3; i++) {
          await sleep(2_000); // let the fresh worker take a share of the stream
          kills.push(Math.round(context.elapsedMs()));
          await context.worker().kill();
          const restarted = performance.now();
          await context.startWorker();
          restarts.push(Math.round(performance.now() - restarted));
          context.say(`kill ${i + 1} at ${kills.at(-1)} ms; replacement ready after ${restarts.at(-1)} ms`);
        }
        context.details.killsAtMs = kills;
        context.details.restartMs = restarts;
        return context.elapsedMs();
      },
    },
    {
      name: "bigtable-unreachable-10s",
      description:
        "the Bigtable emulator is unreachable for 10 s (a TCP proxy in front of it cuts every connection)",
      messages: streamed,
      rate: sizes.rate,
      model,
      bigtableProxy: true,
      inject: async (context) => {
        const proxy = context.proxy!;
        await sleep(Math.min(3_000, (sizes.seconds * 1000) / 4));
        const cutAt = context.elapsedMs();
        await proxy.cut();
        await sleep(10_000);
        await proxy.restore();
        context.details.cutAtMs = Math.round(cutAt);
        context.details.cutForMs = Math.round(context.elapsedMs() - cutAt);
        return context.elapsedMs();
      },
    },
    {
      name: "sigterm-during-burst",
      description: "SIGTERM while a burst is being worked through; the worker drains, a new one takes over",
      messages: sizes.burst,
      rate: 0,
      model,
      inject: async (context) => {
        await waitUntil(() => context.done() >= sizes.burst / 4, 60_000);
        const signalled = performance.now();
        context.details.sigtermAtDone = context.done();
        const exitCode = await context.worker().stop();
        context.details.drainMs = Math.round(performance.now() - signalled);
        context.details.exitCode = exitCode;
        await context.startWorker();
        return context.elapsedMs();
      },
    },
  ];
}
