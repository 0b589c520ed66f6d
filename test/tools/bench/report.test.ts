import { describe, expect, it } from "vitest";
import { benchPlan, sweepCellMessages } from "../../../tools/bench/plan";
import { cpuShares } from "../../../tools/bench/backlogRun";
import { parseMachineCpu, parseProcStatCpuMs, parseProcStatus } from "../../../tools/bench/procStatus";
import { goals, plateaus, sweepTable } from "../../../tools/bench/report";

const cell = (b: number, f: number, throughput: number) => ({
  maxBatchSize: b,
  maxInFlight: f,
  throughput,
  bound: (f * b * 1000) / 30,
});

describe("sweep report", () => {
  const cells = [
    cell(10, 1, 300),
    cell(50, 1, 1200),
    cell(100, 1, 1250),
    cell(10, 4, 1000),
    cell(50, 4, 3000),
  ];

  it("tabulates throughput and its share of the bound, '-' where not measured", () => {
    const table = sweepTable(cells, [10, 50, 100], [1, 4]);
    expect(table.split("\n")).toEqual([
      "| batch size \\ in flight | 1 | 4 |",
      "| --- | --- | --- |",
      "| 10 | 300 (90% of 333) | 1000 (75% of 1333) |",
      "| 50 | 1200 (72% of 1667) | 3000 (45% of 6667) |",
      "| 100 | 1250 (38% of 3333) | - |",
    ]);
  });

  it("finds the batch size after which a bigger batch adds less than 10%", () => {
    expect(plateaus(cells, [10, 50, 100], [1, 4])).toEqual({ 1: 50, 4: null });
  });
});

describe("goals", () => {
  it("checks each goal against its target", () => {
    const result = goals({
      batchedVsNaive: 46,
      efficiency: 0.5,
      addedP99Ms: 101,
      workConservingVsTimer: 1,
      peakRssMb: 250,
      workerCpuMsPerMessage: 0.3,
    });
    expect(result.map((g) => [g.name, g.met])).toEqual([
      ["ratios.batchedVsNaive", true],
      ["ratios.efficiency", false],
      ["lowLoad.addedP99Ms", false],
      ["ratios.workConservingVsTimer", true],
      ["backlog.peakRssMb", true],
      ["workerCpuMsPerMessage", false],
    ]);
  });

  it("counts a figure that was not measured as missed", () => {
    const result = goals({
      batchedVsNaive: 50,
      efficiency: 1,
      addedP99Ms: 0,
      workConservingVsTimer: 2,
      peakRssMb: undefined,
      workerCpuMsPerMessage: undefined,
    });
    expect(result.filter((g) => !g.met).map((g) => g.name)).toEqual([
      "backlog.peakRssMb",
      "workerCpuMsPerMessage",
    ]);
  });
});

describe("bench plan", () => {
  it("says what --quick reduced", () => {
    const quick = benchPlan({ quick: true });
    expect(quick.reduced["backlog.messages"]).toEqual({ full: 100_000, quick: quick.backlog.messages });
    expect(quick.backlog.messages).toBeLessThan(100_000);
    expect(benchPlan({ quick: false }).reduced).toEqual({});
  });

  it("sizes a sweep cell from its bound, within limits", () => {
    const plan = benchPlan({ quick: false });
    expect(sweepCellMessages(plan, 1, 1)).toBe(267); // 33/s x 8 s
    expect(sweepCellMessages(plan, 200, 8)).toBe(plan.sweep.maxMessagesPerCell);
  });
});

describe("parseProcStatus", () => {
  it("reads VmRSS and VmHWM in MB", () => {
    const text = "Name:\tnode\nVmHWM:\t  307200 kB\nVmRSS:\t  204800 kB\nThreads:\t11\n";
    expect(parseProcStatus(text)).toEqual({ rssMb: 200, peakRssMb: 300 });
    expect(parseProcStatus("Name:\tnode\n")).toBeUndefined();
  });
});

describe("parseProcStatCpuMs", () => {
  it("adds user and system ticks, counting fields after the command name even if it has spaces", () => {
    const stat = "4242 (node worker) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0 1000 0 0";
    expect(parseProcStatCpuMs(stat)).toBe(3000); // (250 + 50) ticks at 100/s
    expect(parseProcStatCpuMs(stat, 1000)).toBe(300);
    expect(parseProcStatCpuMs("garbage")).toBeUndefined();
  });
});

describe("machine CPU accounting", () => {
  it("reads busy and total time from the cpu line of /proc/stat (idle and iowait are not busy)", () => {
    const stat = "cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 50 0 25 400 25 0 0 0 0 0\n";
    expect(parseMachineCpu(stat)).toEqual({ busyMs: 1500, totalMs: 10000 });
    expect(parseMachineCpu("intr 1 2 3")).toBeUndefined();
  });

  it("turns CPU times over an interval into cores in use, the rest being what is not worker or driver", () => {
    expect(cpuShares({ wallMs: 10_000, machineBusyMs: 19_000, workerMs: 9_000, driverMs: 4_000 })).toEqual({
      machine: 1.9,
      worker: 0.9,
      driver: 0.4,
      rest: 0.6,
    });
  });
});
