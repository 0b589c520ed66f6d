/** The machine a figure was taken on, recorded with every result (figures mean little without it). */
import { execFileSync } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";

export interface MachineInfo {
  /** `nproc`. */
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  /** 1-minute load average when the run started: above `cpus`, other processes were competing. */
  loadAverageAtStart: number;
  /** True when the load average showed other work on the machine at the start. */
  sharedWithOtherProcesses: boolean;
  /** `free -g` as printed, for the docs. */
  freeG?: string;
}

export function machineInfo(): MachineInfo {
  let freeG: string | undefined;
  try {
    freeG = execFileSync("free", ["-g"], { encoding: "utf8" }).trim();
  } catch {
    freeG = undefined;
  }
  const load = loadavg()[0]!;
  const count = cpus().length;
  return {
    cpus: count,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverageAtStart: Math.round(load * 100) / 100,
    sharedWithOtherProcesses: load > 0.5,
    freeG,
  };
}
