/**
 * The machine's 1-minute load average over a run, so a figure taken on a busy machine says
 * so. The load at the start (before the run's own emulators and workers) shows other work;
 * during the run the run itself adds to it. (Issue 14 plans a shared helper for this.)
 */
import { cpus, loadavg } from "node:os";
import { round } from "./figures";

export interface LoadAverage {
  /** 1-minute load average before the run started anything. */
  atStart: number;
  /** Highest and mean 1-minute load average sampled during the run (the run's own processes included). */
  max: number;
  mean: number;
  cpus: number;
  /** True when other work was competing at the start: load above half the cores. */
  busyAtStart: boolean;
}

export interface LoadSampler {
  stop(): LoadAverage;
}

/** Whether a 1-minute load average means other processes are competing for `cpuCount` cores. */
export function isBusy(load: number, cpuCount: number): boolean {
  return load > cpuCount / 2;
}

export function sampleLoad(everyMs = 5_000): LoadSampler {
  const cpuCount = cpus().length;
  const atStart = loadavg()[0]!;
  const samples = [atStart];
  const timer = setInterval(() => samples.push(loadavg()[0]!), everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      samples.push(loadavg()[0]!);
      return {
        atStart: round(atStart, 2),
        max: round(Math.max(...samples), 2),
        mean: round(samples.reduce((a, b) => a + b, 0) / samples.length, 2),
        cpus: cpuCount,
        busyAtStart: isBusy(atStart, cpuCount),
      };
    },
  };
}
