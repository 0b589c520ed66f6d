/**
 * How the local platform's commands (`npm start`, bench, chaos) react to being stopped:
 * Ctrl-C (SIGINT), SIGTERM, and SIGHUP (the terminal was closed). Whatever arrives, every
 * process group they started is stopped: gracefully through the returned AbortSignal, or
 * at once through `process.exit` (its exit hook SIGKILLs the groups still running, see
 * emulators/processGroup.ts). If this process is killed outright, the groups' own
 * parent-death watchdog stops them.
 *
 * These commands run under plain `node --import tsx`, not the `tsx` launcher: the launcher
 * SIGKILLs its child when the child does not report a relayed signal within 30 ms
 * (tsx 4.x `relaySignals` in dist/cli.mjs), which is what happens while it is busy starting
 * up, and a SIGKILLed process runs no clean-up at all.
 */

export const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** After SIGHUP nothing reads our output: a write error (EIO, EPIPE) must not crash the clean-up. */
function ignoreClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
}

/**
 * Graceful stop: the first signal aborts the returned signal (the caller winds down and
 * stops what it started); the same signal repeated within a second is the same keypress
 * (the terminal and npm both pass Ctrl-C on); a second one later exits at once.
 */
export function onStopSignals(say: (line: string) => void): AbortSignal {
  ignoreClosedOutput();
  const interrupted = new AbortController();
  let firstSignalAt = 0;
  const onSignal = (name: NodeJS.Signals) => {
    if (interrupted.signal.aborted && Date.now() - firstSignalAt < 1000) return;
    if (interrupted.signal.aborted) {
      say(`${name} again: killing everything and exiting`);
      process.exit(130);
    }
    say(`${name}: stopping (Ctrl-C again to kill at once) ...`);
    firstSignalAt = Date.now();
    interrupted.abort(new Error(`stopped by ${name}`));
  };
  for (const name of STOP_SIGNALS) process.on(name, onSignal);
  return interrupted.signal;
}

/** Immediate stop: any stop signal exits with 130, and the exit hook SIGKILLs every group still running. */
export function exitOnStopSignals(): void {
  ignoreClosedOutput();
  for (const name of STOP_SIGNALS) process.on(name, () => process.exit(130));
}

/** Never resolves; rejects with the abort reason once `signal` is aborted (to race a wait against Ctrl-C). */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    const fail = () => reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
}
