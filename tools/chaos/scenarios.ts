/**
 * The chaos scenarios. Each publishes a stream of events while it injects one fault,
 * and says when the fault ended (recovery is measured from there). Sizes shrink with
 * `--quick`; the faults do not.
 */
import { status } from "@grpc/grpc-js";
import type { ChaosScenario, ScenarioContext } from "./runScenario";
import { badAnswerStream, BAD_ANSWER_FEATURE, outputLimitsStream, seedLongEntities } from "./messageFaults";

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
  /**
   * How long the SIGKILL scenario waits for outcomes after the last restart: a killed worker's
   * messages come back when their lease (the 10 s ack deadline) runs out, and the emulator keeps
   * dealing messages to dead streams (see KILLS), so some take many rounds (up to 181 s seen).
   */
  killSettleSeconds: number;
}

/**
 * The emulator never forgets the streaming pulls of a SIGKILLed subscriber (it does on a graceful
 * close): it keeps dealing messages to those dead streams, each time counting a delivery attempt
 * and waiting out the 10 s ack deadline. Measured with bare clients, no worker
 * (./emulatorDeadStreams.ts, 2026-12-02): 500 messages published after 3 subscribers with 2
 * streams each were SIGKILLed: none arrived at attempt 1, 400 of 500 within 60 s (attempts 2-4);
 * after 3 graceful closes, or with none killed, all 500 at attempt 1 within 10 s; one killed
 * subscriber still took deliveries 100 s after its death. Real Pub/Sub delivers only on open streams.
 * In the scenario a message can therefore miss the live worker round after round: message 707,
 * published at 5 s, first reached a worker at attempt 19, 181 s later (load 5-7); 16 of 2,500 not
 * reached in 120 s (the earlier "loss") was this tail. One stream per killed worker did not
 * shorten it (tails 162 s and 187 s against 104 s and 134 s with two), so the workers keep the
 * deployed stream count, the wait is long, and what is still out after it is judged by the workers'
 * own trail (`emulatorDeadStreams` in ChaosScenario).
 */
/** Kills in the SIGKILL scenario. */
export const KILLS = 3;

/**
 * The dependency outages (`model-unreachable-60s`, `predictions-topic-outage`): the worker must
 * hold its messages (no nack, so no attempt spent) and finish them when the dependency is back.
 * Full length in --quick too (the names say 60 s and 30 s); they run beside the sequence of the
 * other scenarios, since they mostly wait. The rate keeps what arrives during the outage
 * (50/s x 60 s = 3,000) under the point where the client pauses its streams (10 x flow control =
 * 4,000 with the default batching, worker/src/pullBackpressure.ts): what a paused stream leaves
 * in flight on the emulator is leased without extension and spends attempts every ack deadline
 * (the emulator ignores max_outstanding_messages; Pub/Sub stops sending at flow control).
 */
export const OUTAGE_RATE = 50;
export const MODEL_OUTAGE_SECONDS = 60;
export const TOPIC_OUTAGE_SECONDS = 30;
/** Publishing starts this long before an outage and goes on this long after it. */
const OUTAGE_MARGIN_SECONDS = 5;

export const QUICK_SIZES: ChaosSizes = {
  rate: 250,
  seconds: 10,
  burst: 4_000,
  killRate: 100,
  killSeconds: 25,
  killSettleSeconds: 180,
};
export const FULL_SIZES: ChaosSizes = {
  rate: 500,
  seconds: 30,
  burst: 20_000,
  killRate: 200,
  killSeconds: 45,
  killSettleSeconds: 180,
};

/**
 * The SIGKILL scenario's input subscription has no retry policy and a dead-letter policy of 100
 * attempts (the most the stack config allows) instead of 5. Why, measured on the emulator:
 * - with a retry policy, part of the messages a SIGKILLed streaming-pull subscriber held are never
 *   redelivered (1,500 held: 900-1,100 came back in 60-300 s; all 1,500 without a retry policy,
 *   with or without a dead-letter policy: ./emulatorRedelivery.ts, bare clients, no worker);
 * - without one, the emulator redelivers them all, but counts an attempt for every delivery to a
 *   dead stream (see KILLS), so with 5 attempts 901 and 1,901 of 2,500 valid events were
 *   dead-lettered in two runs (the worker never saw most of them); attempts up to 11 were seen.
 * Real Pub/Sub redelivers every expired lease, retry policy or not
 * (https://cloud.google.com/pubsub/docs/handling-failures), and counts an attempt per delivery.
 */
export const KILL_SUBSCRIPTION = { retryPolicy: false, maxDeliveryAttempts: 100 } as const;

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

/** Publishes through a dependency's outage: from `margin` before it until `margin` after it. */
function outageStream(outageSeconds: number) {
  const seconds = outageSeconds + 2 * OUTAGE_MARGIN_SECONDS;
  return { messages: OUTAGE_RATE * seconds, rate: OUTAGE_RATE };
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
      name: "one-bad-instance",
      description: `the model answers every instance carrying "${BAD_ANSWER_FEATURE}" (1 in 50 events) with an error of its own, every time`,
      messages: sizes.rate * Math.ceil(sizes.seconds / 2),
      rate: sizes.rate,
      model: { ...model, faults: { badAnswerFeature: BAD_ANSWER_FEATURE } },
      events: (platform) =>
        badAnswerStream({
          count: sizes.rate * Math.ceil(sizes.seconds / 2),
          entities: platform.entities,
          runId: "one-bad-instance",
        }),
      strict: true,
      inject: async (context) => {
        await context.published;
        return context.elapsedMs();
      },
    },
    {
      name: "output-limits",
      description:
        "events whose outputs would break Pub/Sub's limits if copied as is: 3,000-byte entity ids, 100 input attributes",
      messages: sizes.rate * Math.ceil(sizes.seconds / 2),
      rate: sizes.rate,
      model,
      prepare: (platform) => seedLongEntities(platform),
      events: (platform) =>
        outputLimitsStream({
          count: sizes.rate * Math.ceil(sizes.seconds / 2),
          entities: platform.entities,
          runId: "output-limits",
        }),
      strict: true,
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
      inputSubscription: KILL_SUBSCRIPTION,
      // Per-message lines (received, settled), so a missing id can be followed through the kills.
      worker: { logLevel: "debug" },
      emulatorDeadStreams: true,
      // A killed worker's messages come back when their leases expire: the scenario mostly waits,
      // so it runs beside the others.
      concurrent: true,
      settleTimeoutMs: sizes.killSettleSeconds * 1000,
      inject: async (context) => {
        const kills: number[] = [];
        const restarts: number[] = [];
        for (let i = 0; i < KILLS; i++) {
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
      name: "model-unreachable-60s",
      description: `connections to the model are refused for ${MODEL_OUTAGE_SECONDS} s mid-stream (a TCP proxy in front of it stops listening); nothing may be dead-lettered`,
      ...outageStream(MODEL_OUTAGE_SECONDS),
      model,
      modelProxy: true,
      noDeadLetters: true,
      concurrent: true,
      inject: async (context) => {
        const proxy = context.modelProxy!;
        await sleep(OUTAGE_MARGIN_SECONDS * 1000);
        const cutAt = context.elapsedMs();
        await proxy.cut();
        await sleep(MODEL_OUTAGE_SECONDS * 1000);
        await proxy.restore();
        context.details.cutAtMs = Math.round(cutAt);
        context.details.cutForMs = Math.round(context.elapsedMs() - cutAt);
        return context.elapsedMs();
      },
    },
    {
      name: "predictions-topic-outage",
      description: `the predictions topic is deleted for ${TOPIC_OUTAGE_SECONDS} s mid-stream and re-created; nothing may be dead-lettered`,
      ...outageStream(TOPIC_OUTAGE_SECONDS),
      model,
      noDeadLetters: true,
      concurrent: true,
      inject: async (context) => {
        const pubsub = context.platform.clients.pubsub;
        const names = context.platform.messaging.predictions;
        await sleep(OUTAGE_MARGIN_SECONDS * 1000);
        const deletedAt = context.elapsedMs();
        await pubsub.topic(names.topic).delete();
        await sleep(TOPIC_OUTAGE_SECONDS * 1000);
        // Deleting a topic detaches its subscriptions for good (the emulator does as Pub/Sub
        // does), so the books read the re-created topic through a new one. Made at once after
        // the topic: a worker probe landing between the two calls (a few ms of a 5 s probe
        // interval) could publish predictions no subscription keeps.
        const [topic] = await pubsub.createTopic(names.topic);
        const resumed = `${context.platform.messaging.predictionsSubscription}-after-outage`;
        await topic.createSubscription(resumed, { ackDeadlineSeconds: 60 });
        context.readPredictionsFrom(resumed);
        context.details.deletedAtMs = Math.round(deletedAt);
        context.details.deletedForMs = Math.round(context.elapsedMs() - deletedAt);
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
