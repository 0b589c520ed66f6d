/**
 * Reads Linux's process table (/proc) to check what is left after a run: by pid, by
 * process group, and by a marker in the environment that every descendant inherits
 * (so processes that moved to their own session and group are still found).
 */
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessEntry {
  pid: number;
  pgid: number;
  /** Command line, for messages. */
  command: string;
}

interface Stat {
  pid: number;
  state: string;
  pgid: number;
}

/** /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces and parentheses. */
function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { pid, state: fields[0]!, pgid: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

function pids(): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** Running (a zombie has exited and only waits to be reaped: not running). */
export function isAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== "Z";
}

/** Running processes of a process group. */
export function groupMembers(pgid: number): number[] {
  return pids().filter((pid) => {
    const stat = readStat(pid);
    return stat !== undefined && stat.pgid === pgid && stat.state !== "Z";
  });
}

export const groupAlive = (pgid: number): boolean => groupMembers(pgid).length > 0;

/** Running processes whose environment holds `name=value` (inherited from the process under test). */
export function processesWithEnv(name: string, value: string): ProcessEntry[] {
  const needle = `${name}=${value}`;
  const found: ProcessEntry[] = [];
  for (const pid of pids()) {
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, "utf8");
    } catch {
      continue; // gone, or not ours
    }
    if (!environ.split("\0").includes(needle)) continue;
    const stat = readStat(pid);
    if (stat === undefined || stat.state === "Z") continue;
    let command = "";
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    } catch {
      command = "?";
    }
    found.push({ pid, pgid: stat.pgid, command });
  }
  return found;
}
