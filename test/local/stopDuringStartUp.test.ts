/**
 * Ctrl-C at any moment leaves nothing running. `npm start` is interrupted at 20 points
 * from its first second to mid-run, as a terminal does it (SIGINT to the whole foreground
 * process group); then twice, with the terminal closed (SIGHUP), and with its node
 * process SIGKILLed (the processes it started have a parent-death watchdog). Bench, chaos
 * and the integration tests' global setup are interrupted during their start-up too.
 * Each run is checked by process group: every process it started must be gone.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { interruptRun } from "./interruptRun";
import type { InterruptOutcome, InterruptPlan } from "./interruptRun";

const REPO_ROOT = path.resolve(__dirname, "../..");
const STARTING = /starting the Pub\/Sub and Bigtable emulators/;
const EMULATORS_UP = /emulators: Pub\/Sub/;
const WORKER_UP = /worker started \(pid/;

/** An emulator process (the gcloud wrapper, the Pub/Sub java server, cbtemulator) was running. */
const emulatorSeen = (outcome: InterruptOutcome) =>
  outcome.seenBeforeSignal.some((p) =>
    /cloud-pubsub-emulator|cbtemulator|emulators (pubsub|bigtable) start/.test(p.command),
  );

function describeLeft(outcome: InterruptOutcome): string {
  const rows = outcome.leftOver.map((p) => `  pid ${p.pid} group ${p.pgid}: ${p.command.slice(0, 160)}`);
  return `left running:\n${rows.join("\n")}\ngroups left: ${outcome.groupsLeft.join(", ")}\noutput:\n${outcome.output.slice(-2000)}`;
}

function expectNothingLeft(outcome: InterruptOutcome): void {
  expect(outcome.leftOver, describeLeft(outcome)).toEqual([]);
  expect(outcome.groupsLeft, describeLeft(outcome)).toEqual([]);
}

const npmStart = (moment: Pick<InterruptPlan, "afterLine" | "delayMs">, signals: InterruptPlan["signals"]) =>
  interruptRun({
    command: "npm",
    args: ["start", "--", "--messages", "3000"],
    cwd: REPO_ROOT,
    signals,
    ...moment,
  });

/** The 20 moments: node booting, emulators starting, provisioning, the worker starting, mid-run. */
const MOMENTS: Array<Pick<InterruptPlan, "afterLine" | "delayMs">> = [
  ...[300, 900, 1600].map((delayMs) => ({ delayMs })),
  ...[0, 150, 400, 700, 1000, 1500, 2000, 3000, 4000, 5500].map((delayMs) => ({
    afterLine: STARTING,
    delayMs,
  })),
  ...[0, 100, 300, 700, 1200].map((delayMs) => ({ afterLine: EMULATORS_UP, delayMs })),
  ...[0, 800].map((delayMs) => ({ afterLine: WORKER_UP, delayMs })),
];

describe("npm start stops everything it started, whenever it is interrupted", () => {
  it(
    "a Ctrl-C at 20 moments of start-up and run leaves no process and no process group",
    async () => {
      let withEmulators = 0;
      for (const [index, moment] of MOMENTS.entries()) {
        const outcome = await npmStart(moment, [{ signal: "SIGINT" }]);
        expect(outcome.lineMissed, `moment ${index}: ${outcome.output.slice(-1500)}`).toBe(false);
        expectNothingLeft(outcome);
        if (emulatorSeen(outcome)) withEmulators++;
        if (moment.afterLine === WORKER_UP) {
          // Cut mid-run: what was still in flight is "not processed", never "lost".
          expect(outcome.output, outcome.output).toMatch(/^lost {11}0$/m);
          if (moment.delayMs > 0)
            expect(outcome.output).toMatch(/^not processed {2}\d+ \(the run was stopped/m);
        }
      }
      // The moments must have caught emulators running, or the test proves nothing.
      expect(withEmulators).toBeGreaterThanOrEqual(10);
    },
    20 * 60_000,
  );

  it(
    "Ctrl-C twice, the terminal closed (SIGHUP), and the runner SIGKILLed leave nothing either",
    async () => {
      const twice = await npmStart({ afterLine: STARTING, delayMs: 1500 }, [
        { signal: "SIGINT" },
        { signal: "SIGINT", gapMs: 1200 },
      ]);
      expectNothingLeft(twice);
      const hangUp = await npmStart({ afterLine: EMULATORS_UP, delayMs: 0 }, [{ signal: "SIGHUP" }]);
      expectNothingLeft(hangUp);
      // SIGKILL to the node runner alone: no handler and no exit hook runs; the watchdogs must act.
      const runner = (running: ReadonlyArray<{ pid: number; command: string }>) =>
        running.find((p) => /--import tsx local\/start\.ts/.test(p.command))?.pid;
      const killed = await npmStart({ afterLine: STARTING, delayMs: 2500 }, [
        { signal: "SIGKILL", to: runner },
      ]);
      expect(emulatorSeen(killed), killed.output).toBe(true);
      expectNothingLeft(killed);
    },
    5 * 60_000,
  );
});

describe("bench, chaos and the integration tests' global setup stop everything on Ctrl-C", () => {
  const run = (args: string[], moment: Pick<InterruptPlan, "afterLine" | "delayMs">) =>
    interruptRun({ command: "npm", args, cwd: REPO_ROOT, signals: [{ signal: "SIGINT" }], ...moment });

  it(
    "npm run bench -- --quick, while the emulators start and once they run",
    async () => {
      for (const moment of [
        { afterLine: STARTING, delayMs: 1000 },
        { afterLine: /repeat 1\//, delayMs: 500 },
      ]) {
        const outcome = await run(["run", "bench", "--", "--quick"], moment);
        expect(outcome.lineMissed, outcome.output).toBe(false);
        expectNothingLeft(outcome);
      }
    },
    5 * 60_000,
  );

  it(
    "npm run chaos -- --quick, while the emulators start and during the first scenario",
    async () => {
      for (const moment of [
        { afterLine: STARTING, delayMs: 1000 },
        { afterLine: /model-unavailable-30pct: /, delayMs: 1500 },
      ]) {
        const outcome = await run(
          ["run", "chaos", "--", "--quick", "--only", "model-unavailable-30pct"],
          moment,
        );
        expect(outcome.lineMissed, outcome.output).toBe(false);
        expectNothingLeft(outcome);
      }
    },
    5 * 60_000,
  );

  it(
    "vitest's integration project, during its global setup and during a test",
    async () => {
      for (const delayMs of [4000, 12_000]) {
        const outcome = await interruptRun({
          command: process.execPath,
          args: [
            "node_modules/vitest/vitest.mjs",
            "run",
            "--project",
            "integration",
            "test/integration/happyPath.test.ts",
          ],
          cwd: REPO_ROOT,
          delayMs,
          signals: [{ signal: "SIGINT" }],
        });
        expectNothingLeft(outcome);
      }
    },
    5 * 60_000,
  );
});
