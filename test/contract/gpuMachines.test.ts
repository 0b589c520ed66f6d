/**
 * The one GPU table (contract/gpuMachines.ts), read by the config check and the policy pack:
 * rows as Google's "Configure compute resources for inference" gives them, and the policy
 * pack's default approved pairs all rows of it.
 */
import { describe, expect, it } from "vitest";
import {
  checkGpuMachine,
  DEFAULT_APPROVED_MACHINES,
  gpuMachine,
  VERTEX_GPU_MACHINES,
} from "../../contract/gpuMachines";

describe("the GPU table", () => {
  it("takes the N1 prediction machine types only up to 32 vCPUs", () => {
    expect(checkGpuMachine("n1-standard-32", "NVIDIA_TESLA_T4", 1)).toBeUndefined();
    expect(checkGpuMachine("n1-highcpu-4", "NVIDIA_TESLA_T4", 4)).toBeUndefined();
    for (const machine of ["n1-standard-96", "n1-standard-64", "n1-highcpu-2"]) {
      expect(checkGpuMachine(machine, "NVIDIA_TESLA_T4", 1)).toMatch(
        /is not a GPU machine type Vertex AI prediction takes/,
      );
    }
    expect(checkGpuMachine("n1-standard-4", "NVIDIA_TESLA_T4", 3)).toBe(
      "acceleratorCount 3 is not allowed on n1-standard-4; allowed: 1, 2, 4",
    );
  });

  it("gives accelerator-optimised machines their fixed GPU count", () => {
    expect(checkGpuMachine("a3-highgpu-8g", "NVIDIA_H100_80GB", 8)).toBeUndefined();
    expect(checkGpuMachine("a3-highgpu-8g", "NVIDIA_H100_80GB", 2)).toBe(
      "a3-highgpu-8g comes with exactly 8 NVIDIA_H100_80GB; set acceleratorCount to 8",
    );
    expect(checkGpuMachine("g2-standard-48", "NVIDIA_L4", 4)).toBeUndefined();
    expect(checkGpuMachine("g2-standard-8", "NVIDIA_TESLA_T4", 1)).toBe(
      'accelerator "NVIDIA_TESLA_T4" cannot be attached to g2-standard-8; allowed: NVIDIA_L4',
    );
  });

  it("has one row per pair, and every default-approved pair is a row of it", () => {
    const keys = VERTEX_GPU_MACHINES.map((m) => `${m.machineType}/${m.acceleratorType}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const approved of DEFAULT_APPROVED_MACHINES) {
      expect(gpuMachine(approved.machineType, approved.acceleratorType), approved.machineType).toBeDefined();
    }
  });
});
