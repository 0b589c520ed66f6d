/** The circuit of a dependency: opens on an outage, probes on a capped backoff, closes when it answers. */
import { status } from "@grpc/grpc-js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Circuits, probeDelayMs } from "../../worker/src/circuits";
import { grpcError, logger } from "./helpers";

describe("probeDelayMs", () => {
  it("doubles from the first delay and stops at the cap", () => {
    const settings = { firstProbeAfterMs: 500, maxProbeIntervalMs: 5_000 };
    expect([0, 1, 2, 3, 4, 5].map((n) => probeDelayMs(n, settings))).toEqual([
      500, 1000, 2000, 4000, 5000, 5000,
    ]);
  });
});

describe("Circuits", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const settings = { firstProbeAfterMs: 100, maxProbeIntervalMs: 400 };

  it("stays open while the probe fails, closes when it answers, and then tells the listeners once", async () => {
    let answering = false;
    let probes = 0;
    const outage: Array<[string, number]> = [];
    const circuits = new Circuits({
      probes: {
        model: async () => {
          probes++;
          if (!answering) throw grpcError(status.UNAVAILABLE, "connect ECONNREFUSED");
        },
      },
      logger,
      settings,
      onOpenSeconds: (dependency, seconds) => outage.push([dependency, seconds]),
    });
    const closed = vi.fn();
    circuits.onAllClosed(closed);
    expect(circuits.anyOpen).toBe(false);

    circuits.trip("model", grpcError(status.UNAVAILABLE, "first failure"));
    circuits.trip("model", grpcError(status.UNAVAILABLE, "second failure: no second probe loop"));
    expect(circuits.anyOpen).toBe(true);
    expect(circuits.openCircuits()).toMatchObject([{ dependency: "model", reason: "first failure" }]);

    await vi.advanceTimersByTimeAsync(100 + 200 + 400 + 400);
    expect(probes).toBe(4);
    expect(circuits.isOpen("model")).toBe(true);
    expect(circuits.openCircuits()[0]).toMatchObject({ failedProbes: 4, reason: "connect ECONNREFUSED" });
    expect(closed).not.toHaveBeenCalled();

    answering = true;
    await vi.advanceTimersByTimeAsync(400);
    expect(circuits.anyOpen).toBe(false);
    expect(closed).toHaveBeenCalledTimes(1);
    // Every second it was open was reported, for the dependency that was down.
    expect(outage.every(([dependency]) => dependency === "model")).toBe(true);
    expect(outage.reduce((sum, [, s]) => sum + s, 0)).toBeCloseTo(1.5, 5);
  });

  it("closes the last circuit before telling the listeners: two dependencies down, one back is not enough", async () => {
    const up = { model: false, predictions_topic: false };
    const circuits = new Circuits({
      probes: {
        model: async () => {
          if (!up.model) throw grpcError(status.UNAVAILABLE);
        },
        predictions_topic: async () => {
          if (!up.predictions_topic) throw grpcError(status.NOT_FOUND);
        },
      },
      logger,
      settings,
    });
    const closed = vi.fn();
    circuits.onAllClosed(closed);
    circuits.trip("model", grpcError(status.UNAVAILABLE));
    circuits.trip("predictions_topic", grpcError(status.NOT_FOUND));
    up.model = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(circuits.openCircuits().map((c) => c.dependency)).toEqual(["predictions_topic"]);
    expect(closed).not.toHaveBeenCalled();
    up.predictions_topic = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(circuits.anyOpen).toBe(false);
    expect(closed).toHaveBeenCalledTimes(1);
  });

  it("stops probing at shutdown and opens nothing more", async () => {
    const probe = vi.fn(async () => {
      throw grpcError(status.UNAVAILABLE);
    });
    const circuits = new Circuits({ probes: { model: probe }, logger, settings });
    circuits.trip("model", grpcError(status.UNAVAILABLE));
    circuits.stop();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(probe).not.toHaveBeenCalled();
    circuits.trip("feature_store", grpcError(status.NOT_FOUND));
    expect(circuits.isOpen("feature_store")).toBe(false);
  });
});
