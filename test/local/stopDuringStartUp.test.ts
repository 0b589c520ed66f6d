/**
 * Ctrl-C at any moment leaves nothing running. `npm start` is interrupted at 20 points from
 * its first second to mid-run, as a terminal does it (SIGINT to the whole foreground process
 * group), and each run is checked by process group: every process it started must be gone.
 * The other ways to stop it, and bench, chaos and the integration tests' global setup, are in
 * stopOtherWays.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { InterruptPlan } from "./interruptRun";
import { EMULATORS_UP, emulatorSeen, expectNothingLeft, npmStart, STARTING, WORKER_UP } from "./stopChecks";

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
});
