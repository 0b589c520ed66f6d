import { afterEach, describe, expect, it, vi } from "vitest";
import { BATCHING_DEFAULTS } from "../../../contract";
import type { LocalWorkerSettings } from "../../../local";
import type { ScenarioContext } from "../../../tools/chaos/runScenario";
import {
  chaosScenarios,
  deadStreamTailSeconds,
  FULL_SIZES,
  KILL_SUBSCRIPTION,
  QUICK_SIZES,
} from "../../../tools/chaos/scenarios";

describe("deadStreamTailSeconds", () => {
  it("counts ack-deadline rounds until a batch has missed the live streams with the given odds", () => {
    // share 0.5: 0.5^14 < 1e-4 <= 0.5^13
    expect(
      deadStreamTailSeconds({ deadStreams: 2, liveStreams: 2, ackDeadlineSeconds: 10, missProbability: 1e-4 }),
    ).toBe(140);
    // no dead stream: one round
    expect(
      deadStreamTailSeconds({ deadStreams: 0, liveStreams: 2, ackDeadlineSeconds: 10, missProbability: 0.5 }),
    ).toBe(10);
  });
});

describe("the sigkill-x3 scenario", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Runs the scenario's fault script against a fake platform; returns the settings of every worker started. */
  async function workersStarted(sizes: typeof QUICK_SIZES) {
    const scenario = chaosScenarios(sizes).find((s) => s.name === "sigkill-x3")!;
    const started: LocalWorkerSettings[] = [{ ...scenario.worker }];
    let killed = 0;
    const context = {
      worker: () => ({ kill: async () => void killed++ }),
      startWorker: async (settings?: LocalWorkerSettings) => {
        started.push({ ...scenario.worker, ...settings });
      },
      elapsedMs: () => 0,
      say: () => undefined,
      details: {},
    } as unknown as ScenarioContext;
    vi.useFakeTimers();
    const done = scenario.inject(context);
    await vi.runAllTimersAsync();
    await done;
    return { scenario, started, killed };
  }

  const streams = (settings: LocalWorkerSettings) =>
    Number(settings.pullStreams ?? BATCHING_DEFAULTS.pullStreams);

  for (const [label, sizes] of [
    ["quick", QUICK_SIZES],
    ["full", FULL_SIZES],
  ] as const) {
    it(`(${label}) waits long enough for the emulator's dealing to dead streams to reach the survivor`, async () => {
      const { scenario, started, killed } = await workersStarted(sizes);
      expect(killed).toBe(3);
      expect(started).toHaveLength(4);
      // The emulator keeps dealing to the streams of every killed worker, one ack deadline a round
      // (tools/chaos/emulatorDeadStreams.ts): the survivor gets its share of streams per round.
      const dead = started.slice(0, 3).reduce((sum, settings) => sum + streams(settings), 0);
      const live = streams(started[3]!);
      const share = live / (live + dead);
      const rounds = Math.floor(scenario.settleTimeoutMs! / 1000 / KILL_SUBSCRIPTION.ackDeadlineSeconds) - 1;
      expect((1 - share) ** rounds).toBeLessThan(1e-4);
      // The worker that is never killed runs as deployed.
      expect(live).toBe(BATCHING_DEFAULTS.pullStreams);
    });
  }
});
