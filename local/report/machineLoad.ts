/**
 * The conditions a figure was taken under: the 1-minute load average sampled over a
 * run, against the number of cores. A figure from a busy machine (load above the core
 * count: processes waited for a CPU) may not reproduce elsewhere, so every summary
 * that prints figures records this and says when the machine was busy.
 * Used by `npm start` and `npm run chaos`; the benchmark can use it the same way.
 */
import { availableParallelism, loadavg } from "node:os";

/** The load over one run. Load averages include the run's own processes. */
export interface MachineLoad {
  /** Cores available to this process (`os.availableParallelism()`). */
  cores: number;
  /** 1-minute load average when the run started: work other processes were already doing. */
  load1AtStart: number;
  /** Mean and highest 1-minute load average sampled during the run, and at its end. */
  load1Mean: number;
  load1Max: number;
  load1AtEnd: number;
  samples: number;
  /** True when the 1-minute load at the start or on average over the run exceeded the core count. */
  busy: boolean;
}

export interface LoadSamplerOptions {
  /** Sampling period. Default 5000 ms. */
  intervalMs?: number;
  /** Reads the 1-minute load average (tests inject one). Default `os.loadavg()[0]`. */
  readLoad1?: () => number;
  /** Default `os.availableParallelism()`. */
  cores?: number;
}

export interface LoadSampler {
  /** The load so far (sampling continues). */
  current(): MachineLoad;
  /** Takes a last sample, stops sampling and returns the load over the run. */
  stop(): MachineLoad;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** Starts sampling the 1-minute load average now; the timer does not keep the process alive. */
export function sampleMachineLoad(options: LoadSamplerOptions = {}): LoadSampler {
  const read = options.readLoad1 ?? (() => loadavg()[0] ?? 0);
  const cores = options.cores ?? availableParallelism();
  const samples: number[] = [read()];
  const timer = setInterval(() => samples.push(read()), options.intervalMs ?? 5000);
  timer.unref();
  const summarise = (): MachineLoad => {
    const start = samples[0] ?? 0;
    const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
    return {
      cores,
      load1AtStart: round2(start),
      load1Mean: round2(mean),
      load1Max: round2(Math.max(...samples)),
      load1AtEnd: round2(samples[samples.length - 1] ?? start),
      samples: samples.length,
      busy: Math.max(start, mean) > cores,
    };
  };
  let stopped: MachineLoad | undefined;
  return {
    current: summarise,
    stop() {
      if (stopped === undefined) {
        clearInterval(timer);
        samples.push(read());
        stopped = summarise();
      }
      return stopped;
    },
  };
}

/** One line for a summary: "load (1-min) 0.4 at start, mean 1.9, max 2.3 on 2 cores". */
export function describeMachineLoad(load: MachineLoad): string {
  return (
    `load (1-min) ${load.load1AtStart} at start, mean ${load.load1Mean}, max ${load.load1Max} ` +
    `on ${load.cores} cores`
  );
}

/** A warning when the machine was busy, undefined otherwise. */
export function busyMachineWarning(load: MachineLoad): string | undefined {
  if (!load.busy) return undefined;
  return (
    `warning: the machine was busy (1-min load ${Math.max(load.load1AtStart, load.load1Mean)} > ${load.cores} cores, ` +
    `this run's own processes included): throughput and latency figures may not reproduce on a quieter machine`
  );
}
