import { describe, expect, it } from "vitest";
import { memoryMiB, nodeOptionsFor } from "../../../components/workerDeployment";

describe("the worker's heap cap", () => {
  it("gives the V8 heap 60% of the container's memory", () => {
    expect(nodeOptionsFor("1Gi")).toBe("--max-old-space-size=614");
    expect(nodeOptionsFor("2Gi")).toBe("--max-old-space-size=1228");
    expect(nodeOptionsFor("512Mi")).toBe("--max-old-space-size=307");
  });

  it("rejects a memory size it cannot read, naming it", () => {
    expect(() => memoryMiB("2GB")).toThrow('worker memory "2GB" must look like 512Mi or 2Gi');
  });
});
