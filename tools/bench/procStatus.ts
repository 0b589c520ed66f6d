/** Memory of a process from /proc/<pid>/status (Linux): the resident set now and its peak. */
import { readFileSync } from "node:fs";

export interface ProcessMemory {
  /** VmRSS, MB. */
  rssMb: number;
  /** VmHWM (peak resident set since the process started), MB. */
  peakRssMb: number;
}

/** Parses the `VmRSS` and `VmHWM` lines (kB) of a /proc/<pid>/status text. */
export function parseProcStatus(text: string): ProcessMemory | undefined {
  const kb = (key: string) => {
    const match = new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, "m").exec(text);
    return match === null ? undefined : Number(match[1]);
  };
  const rss = kb("VmRSS");
  const hwm = kb("VmHWM");
  if (rss === undefined || hwm === undefined) return undefined;
  return { rssMb: Math.round(rss / 102.4) / 10, peakRssMb: Math.round(hwm / 102.4) / 10 };
}

/** The process's memory now, or undefined once it has exited (or off Linux). */
export function readProcessMemory(pid: number): ProcessMemory | undefined {
  try {
    return parseProcStatus(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used, ms, from /proc/<pid>/stat (fields 14 and 15, in clock ticks). */
export function parseProcStatCpuMs(text: string, ticksPerSecond = 100): number | undefined {
  // The command name (field 2) is in parentheses and may contain spaces: count from the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  if (!Number.isFinite(user) || !Number.isFinite(system)) return undefined;
  return ((user + system) * 1000) / ticksPerSecond;
}

export function readProcessCpuMs(pid: number): number | undefined {
  try {
    return parseProcStatCpuMs(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
}

/** Busy and total CPU time of the whole machine, ms summed over cores, from the "cpu" line of /proc/stat. */
export function parseMachineCpu(
  text: string,
  ticksPerSecond = 100,
): { busyMs: number; totalMs: number } | undefined {
  const line = text.split("\n").find((l) => l.startsWith("cpu "));
  if (line === undefined) return undefined;
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  if (ticks.length < 5 || ticks.some((t) => !Number.isFinite(t))) return undefined;
  const total = ticks.reduce((sum, t) => sum + t, 0);
  const idle = ticks[3]! + ticks[4]!; // idle + iowait
  return { busyMs: ((total - idle) * 1000) / ticksPerSecond, totalMs: (total * 1000) / ticksPerSecond };
}

export function readMachineCpu(): { busyMs: number; totalMs: number } | undefined {
  try {
    return parseMachineCpu(readFileSync("/proc/stat", "utf8"));
  } catch {
    return undefined;
  }
}
