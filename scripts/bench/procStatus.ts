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
