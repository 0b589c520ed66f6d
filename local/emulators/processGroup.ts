/**
 * Child processes that run in their own process group, so that everything they
 * start (the gcloud wrapper starts the Pub/Sub emulator as a child `java`
 * process) is stopped together by signalling the group, never by name.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import type { ChildProcess } from "node:child_process";

/** A process started by `spawnGroup`, with the recent output kept for error messages. */
export interface GroupProcess {
  /** Human name for messages ("Pub/Sub emulator", "worker"). */
  readonly name: string;
  /** Pid of the group leader; also the process group id. */
  readonly pid: number;
  readonly child: ChildProcess;
  /** The last lines the process wrote (stdout and stderr interleaved). */
  recentOutput(): string;
  /** Resolves with the first output line that matches, rejects if the process exits first or time runs out. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** True until the group leader has exited. */
  isRunning(): boolean;
  /** Resolves when the group leader has exited (for whatever reason). */
  readonly exited: Promise<void>;
  /**
   * Sends `signal` to the group (or only the leader), waits until no process of the
   * group is left, and SIGKILLs the group after `graceMs`.
   */
  stop(options?: StopOptions): Promise<void>;
}

export interface StopOptions {
  /** First signal. Default SIGTERM. */
  signal?: NodeJS.Signals;
  /** Signal only the leader (which relays it), not the whole group. Default false. */
  leaderOnly?: boolean;
  /** How long to wait before SIGKILL of the whole group. Default 5000 ms. */
  graceMs?: number;
}

export interface SpawnGroupOptions {
  name: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called with each output line (e.g. to write a log file or parse JSON logs). */
  onLine?: (line: string) => void;
  /** Lines kept for `recentOutput()`. Default 40. */
  keepLines?: number;
}

/** Groups still running, killed synchronously if this process exits without stopping them. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort only: the normal path stops each group and waits for it.
  process.on("exit", () => {
    for (const pgid of liveGroups) signalGroup(pgid, "SIGKILL");
  });
}

/** Sends a signal to every process of a group; false when the group is gone. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

/** State and process group of a /proc stat line ("pid (comm) state ppid pgrp ..."; comm may hold spaces and parentheses). */
function parseStat(stat: string): { state: string; group: number } {
  const [state, , group] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state: state ?? "", group: Number(group) };
}

/**
 * True while any thread of process `pid` is running. A process whose main thread has exited
 * shows as a zombie ("Z") while its other threads are still being torn down: a killed JVM
 * (the Pub/Sub emulator) stays so for 1-4 s with its port and memory still held, so a zombie
 * main thread is not enough to call the process gone; its tasks (/proc/<pid>/task) are looked
 * at. Linux only; elsewhere `kill(pid, 0)` answers.
 */
export function processRunning(pid: number): boolean {
  if (process.platform !== "linux") {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  let leader: string;
  try {
    leader = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return false; // gone
  }
  if (parseStat(leader).state !== "Z") return true;
  return taskRunning(pid);
}

function taskRunning(pid: number): boolean {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return false;
  }
  return tasks.some((tid) => {
    try {
      const { state } = parseStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8"));
      return state !== "Z" && state !== "X";
    } catch {
      return false; // exited meanwhile
    }
  });
}

/**
 * True while a process of the group is still running. kill(-pgid, 0) also answers for
 * zombies: members that exited and whose parent died first wait for init to reap them,
 * which can take seconds on some machines, and they hold no port or memory any more.
 * On Linux the process table tells them apart; a zombie whose other threads still run is
 * still running (`processRunning`).
 */
function groupRunning(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  if (process.platform !== "linux") return true;
  try {
    for (const name of readdirSync("/proc")) {
      if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${name}/stat`, "utf8");
      } catch {
        continue; // exited meanwhile
      }
      const { state, group } = parseStat(stat);
      if (group !== pgid) continue;
      if (state !== "Z" || taskRunning(Number(name))) return true;
    }
    return false;
  } catch {
    return true;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Parent-death watchdog, run by `sh` before it `exec`s the command (so the command keeps
 * the pid, which is the group id). A background subshell in the same group reads a pipe
 * whose only writer is this process; when this process dies, however it dies (SIGKILL,
 * a crash, a closed terminal), the pipe reaches EOF and the subshell SIGKILLs its group.
 * The exit hook above does not run on SIGKILL, and Linux's PR_SET_PDEATHSIG would reach
 * only the direct child, not the java server the gcloud wrapper starts. The command gets
 * /dev/null as stdin and not the pipe. When the leader exits on its own, Node closes the
 * pipe too, so the watchdog takes the rest of the group with it.
 */
const WATCHDOG = 'exec 3<&0 0</dev/null; (cat <&3 >/dev/null 2>&1; kill -KILL 0) & exec "$@" 3<&-';

export function spawnGroup(
  command: string,
  args: readonly string[],
  options: SpawnGroupOptions,
): GroupProcess {
  installExitHook();
  const child = spawn("sh", ["-c", WATCHDOG, command, command, ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true, // its own process group: pgid == pid
    stdio: ["pipe", "pipe", "pipe"], // stdin: the watchdog's pipe, never written to
  });
  if (child.pid === undefined) {
    throw new Error(`could not start ${options.name} (${command}): is it installed and on PATH?`);
  }
  child.stdin?.on("error", () => undefined); // EPIPE once the group is gone: nothing to report
  const pid = child.pid;
  liveGroups.add(pid);
  const keep = options.keepLines ?? 40;
  const recent: string[] = [];
  const lineListeners = new Set<(line: string) => void>();
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      resolve();
    });
    // spawn errors (ENOENT) arrive as an event instead of an exit.
    child.once("error", (error) => {
      recent.push(`spawn error: ${error.message}`);
      exited = true;
      resolve();
    });
  });

  for (const stream of [child.stdout, child.stderr]) {
    let partial = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        recent.push(line);
        if (recent.length > keep) recent.shift();
        options.onLine?.(line);
        for (const listener of lineListeners) listener(line);
      }
    });
  }

  const proc: GroupProcess = {
    name: options.name,
    pid,
    child,
    recentOutput: () => recent.join("\n"),
    isRunning: () => !exited,
    exited: exitedPromise,
    waitForOutput(pattern, timeoutMs) {
      return new Promise<string>((resolve, reject) => {
        let settled = false;
        const settle = (fn: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          lineListeners.delete(onLine);
          fn();
        };
        const onLine = (line: string) => {
          if (pattern.test(line)) settle(() => resolve(line));
        };
        const timer = setTimeout(() => {
          const why = `${options.name} was not ready after ${timeoutMs} ms (waiting for ${pattern})`;
          settle(() => reject(new Error(`${why}. Its last output:\n${proc.recentOutput()}`)));
        }, timeoutMs);
        const seen = recent.find((line) => pattern.test(line));
        if (seen !== undefined) return settle(() => resolve(seen));
        lineListeners.add(onLine);
        void exitedPromise.then(() =>
          settle(() =>
            reject(
              new Error(
                `${options.name} exited before it was ready. Its last output:\n${proc.recentOutput()}`,
              ),
            ),
          ),
        );
      });
    },
    async stop(stopOptions = {}) {
      const { signal = "SIGTERM", leaderOnly = false, graceMs = 5000 } = stopOptions;
      if (!liveGroups.has(pid)) return;
      if (leaderOnly) {
        if (!exited) child.kill(signal);
      } else {
        signalGroup(pid, signal);
      }
      const deadline = Date.now() + graceMs;
      // The leader may exit before its children (gcloud before java): wait for the whole group.
      while (groupRunning(pid) && Date.now() < deadline) await sleep(50);
      if (groupRunning(pid) && signalGroup(pid, "SIGKILL")) {
        while (groupRunning(pid)) await sleep(20);
      }
      await exitedPromise;
      liveGroups.delete(pid);
    },
  };
  return proc;
}
