/** What the stop tests share: the moments of `npm start` and the "nothing left" check. */
import path from "node:path";
import { expect } from "vitest";
import { interruptRun } from "./interruptRun";
import type { InterruptOutcome, InterruptPlan } from "./interruptRun";

export const REPO_ROOT = path.resolve(__dirname, "../..");
export const STARTING = /starting the Pub\/Sub and Bigtable emulators/;
export const EMULATORS_UP = /emulators: Pub\/Sub/;
export const WORKER_UP = /worker(?:\(s\))? started \(pid/;

/** An emulator process (the gcloud wrapper, the Pub/Sub java server, cbtemulator) was running. */
export const emulatorSeen = (outcome: InterruptOutcome) =>
  outcome.seenBeforeSignal.some((p) =>
    /cloud-pubsub-emulator|cbtemulator|emulators (pubsub|bigtable) start/.test(p.command),
  );

function describeLeft(outcome: InterruptOutcome): string {
  const rows = outcome.leftOver.map((p) => `  pid ${p.pid} group ${p.pgid}: ${p.command.slice(0, 160)}`);
  return `left running:\n${rows.join("\n")}\ngroups left: ${outcome.groupsLeft.join(", ")}\noutput:\n${outcome.output.slice(-2000)}`;
}

export function expectNothingLeft(outcome: InterruptOutcome): void {
  expect(outcome.leftOver, describeLeft(outcome)).toEqual([]);
  expect(outcome.groupsLeft, describeLeft(outcome)).toEqual([]);
}

export const npmStart = (
  moment: Pick<InterruptPlan, "afterLine" | "delayMs">,
  signals: InterruptPlan["signals"],
) =>
  interruptRun({
    command: "npm",
    args: ["start", "--", "--messages", "3000"],
    cwd: REPO_ROOT,
    signals,
    ...moment,
  });
