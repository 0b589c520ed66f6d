/**
 * Runs a command the way a user does (in its own foreground process group, like a
 * terminal's job), sends it signals at a chosen moment, and reports every process it
 * started that is still running afterwards. Processes are found by a marker in the
 * environment (every descendant inherits it, even the ones that moved to a process
 * group of their own), then checked by process group.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { groupMembers, processesWithEnv } from "./processTable";
import type { ProcessEntry } from "./processTable";

export const MARKER_ENV = "SI_STOP_TEST_MARKER";

export interface InterruptPlan {
  command: string;
  args: readonly string[];
  cwd: string;
  /** Wait for an output line matching this (stdout or stderr) before the delay; none = from the spawn. */
  afterLine?: RegExp;
  /** Then wait this long, ms. */
  delayMs: number;
  /** Signals sent, in order, to the whole group (as the terminal does) or to one process. */
  signals: ReadonlyArray<{ signal: NodeJS.Signals; gapMs?: number; to?: "group" | ProcessPicker }>;
  /** How long the command may take to exit after the first signal. Default 60 s. */
  exitTimeoutMs?: number;
  /** Then how long the processes it started may take to go. Default 30 s. */
  cleanupTimeoutMs?: number;
}

/** Picks the pid to signal among the running processes of the run (e.g. the node runner, not npm). */
export type ProcessPicker = (running: readonly ProcessEntry[]) => number | undefined;

export interface InterruptOutcome {
  /** Processes of the run seen just before the first signal. */
  seenBeforeSignal: ProcessEntry[];
  /** Processes of the run still running once it exited (and a short grace). */
  leftOver: ProcessEntry[];
  /** Process groups seen before the signal that still have a running member. */
  groupsLeft: number[];
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  /** The line was never printed: the run ended (or timed out) before the moment came. */
  lineMissed: boolean;
  output: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function interruptRun(plan: InterruptPlan): Promise<InterruptOutcome> {
  const marker = randomUUID();
  const child = spawn(plan.command, [...plan.args], {
    cwd: plan.cwd,
    env: { ...process.env, [MARKER_ENV]: marker, METADATA_SERVER_DETECTION: "none" },
    detached: true, // its own group, as a shell's job: a signal to -pid is a Ctrl-C
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pid = child.pid!;
  let output = "";
  let lineSeen = plan.afterLine === undefined;
  let onLine: (() => void) | undefined;
  // The pipes end once every process holding them (npm, and the runner it started) is gone.
  const outputEnded = Promise.all(
    [child.stdout, child.stderr].map(
      (stream) => new Promise<void>((resolve) => stream.once("close", resolve)),
    ),
  );
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      output += chunk;
      if (!lineSeen && plan.afterLine!.test(output)) {
        lineSeen = true;
        onLine?.();
      }
    });
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  try {
    if (!lineSeen) {
      await Promise.race([new Promise<void>((resolve) => (onLine = resolve)), exited, sleep(120_000)]);
    }
    const lineMissed = !lineSeen;
    if (!lineMissed) await sleep(plan.delayMs);
    const seenBeforeSignal = processesWithEnv(MARKER_ENV, marker);
    if (!lineMissed && !hasExited) {
      for (const step of plan.signals) {
        await sleep(step.gapMs ?? 0);
        const target =
          step.to === undefined || step.to === "group" ? -pid : step.to(processesWithEnv(MARKER_ENV, marker));
        try {
          if (target !== undefined) process.kill(target, step.signal);
        } catch {
          // already gone
        }
      }
    }
    await Promise.race([exited, sleep(plan.exitTimeoutMs ?? 60_000)]);
    // npm exits on Ctrl-C at once; the runner it started may still be stopping what it started
    // (SIGTERM, wait, SIGKILL after a grace), slower on a loaded machine: give it that time.
    // A process that is exiting can hide its environment for a moment while its group still lists
    // it: poll both views until both are empty (or the time is up).
    const groupsSeen = [...new Set(seenBeforeSignal.map((p) => p.pgid))];
    const look = () => ({
      leftOver: processesWithEnv(MARKER_ENV, marker),
      groupsLeft: groupsSeen.filter((g) => groupMembers(g).length > 0),
    });
    let { leftOver, groupsLeft } = look();
    for (
      let waited = 0;
      (leftOver.length > 0 || groupsLeft.length > 0) && waited < (plan.cleanupTimeoutMs ?? 30_000);
      waited += 200
    ) {
      await sleep(200);
      ({ leftOver, groupsLeft } = look());
    }
    await Promise.race([outputEnded, sleep(2000)]);
    return {
      seenBeforeSignal,
      leftOver,
      groupsLeft,
      exitCode: child.exitCode,
      exitSignal: child.signalCode,
      lineMissed,
      output,
    };
  } finally {
    // Whatever the outcome, leave nothing of this run behind for the next tests.
    for (const leftover of processesWithEnv(MARKER_ENV, marker)) {
      try {
        process.kill(-leftover.pgid, "SIGKILL");
      } catch {
        try {
          process.kill(leftover.pid, "SIGKILL");
        } catch {
          // gone
        }
      }
    }
  }
}
