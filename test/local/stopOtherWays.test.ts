/**
 * The other ways a run is stopped: Ctrl-C twice, the terminal closed (SIGHUP), the runner
 * SIGKILLed (only the parent-death watchdogs can act); and bench, chaos and the integration
 * tests' global setup interrupted during their start-up. Checked by process group, like
 * stopDuringStartUp.test.ts (a file of its own so both run in parallel).
 */
import { describe, expect, it } from "vitest";
import { interruptRun } from "./interruptRun";
import type { InterruptPlan } from "./interruptRun";
import { EMULATORS_UP, emulatorSeen, expectNothingLeft, npmStart, REPO_ROOT, STARTING } from "./stopChecks";

describe("npm start stops everything it started, however it is stopped", () => {
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
