/**
 * `npm run e2e`'s orchestration, with the Automation API stack and the cloud clients faked
 * (the real ones need a project and the Pulumi CLI): the order of up / preview / traffic /
 * destroy, the idempotence check, counting predictions and rows, latency, and clean-up on
 * every path.
 */
import { describe, expect, it } from "vitest";
import {
  changesOf,
  runE2e,
  type E2eClients,
  type E2eDeps,
  type E2eOptions,
} from "../../../tools/e2e/harness";
import { e2eEvents } from "../../../tools/e2e/events";

interface FakeWorld {
  calls: string[];
  deps: E2eDeps;
}

/**
 * A fake deployment: each published event is predicted `predictMs` later (unless dropped) and
 * lands in BigQuery `rowMs` after that; time is a virtual clock advanced by `sleep`.
 */
function fakeWorld(
  options: {
    preview?: Record<string, number>;
    dropPredictions?: number;
    dropRows?: number;
    predictMs?: number;
    rowMs?: number;
    upFails?: boolean;
  } = {},
): FakeWorld {
  const calls: string[] = [];
  let clock = 1_000;
  const predictMs = options.predictMs ?? 400;
  const rowMs = options.rowMs ?? 3_000;
  const published: { id: string; at: number }[] = [];
  const delivered = () =>
    published
      .slice(0, published.length - (options.dropPredictions ?? 0))
      .filter((p) => clock >= p.at + predictMs);

  const clients: E2eClients = {
    watchPredictions: async () => {
      calls.push("watch");
      return {
        seen: () => new Map(delivered().map((p) => [p.id, p.at + predictMs])),
        close: async () => void calls.push("unwatch"),
      };
    },
    publish: async (events) => {
      calls.push(`publish ${events.length}`);
      const ids = events.map((_, i) => `m${published.length + i}`);
      for (const id of ids) published.push({ id, at: clock });
      return ids;
    },
    countRows: async (ids) => {
      const rows = delivered().filter((p) => clock >= p.at + predictMs + rowMs && ids.includes(p.id));
      return Math.max(0, rows.length - (options.dropRows ?? 0));
    },
  };
  const deps: E2eDeps = {
    stack: {
      up: async () => {
        calls.push("up");
        if (options.upFails) throw new Error("quota exceeded for NVIDIA_L4 in us-central1");
        return { outputs: { eventsTopic: "si-staging-events" } };
      },
      preview: async () => {
        calls.push("preview");
        return { changeSummary: { same: 120, ...options.preview } };
      },
      destroy: async () => void calls.push("destroy"),
    },
    clients: async (outputs) => {
      calls.push(`clients ${String(outputs.eventsTopic)}`);
      return clients;
    },
    makeEvents: (n) => e2eEvents(n, "run1", { entityId: "user-1", features: { amount: 12.5 } }),
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
    log: () => undefined,
  };
  return { calls, deps };
}

const OPTIONS: E2eOptions = { events: 20, destroy: true, timeoutMs: 60_000, pollMs: 500 };

describe("npm run e2e (orchestration)", () => {
  it("runs up, an idempotence preview, the traffic check and destroy, in that order, and passes", async () => {
    const world = fakeWorld();
    const report = await runE2e(world.deps, OPTIONS);
    expect(world.calls).toEqual([
      "up",
      "preview",
      "clients si-staging-events",
      "watch",
      "publish 20",
      "unwatch",
      "destroy",
    ]);
    expect(report).toMatchObject({
      ok: true,
      failures: [],
      published: 20,
      predicted: 20,
      rows: 20,
      destroyed: true,
    });
    // Each prediction arrives 400 ms (virtual) after the publish.
    expect(report.latencyMs).toEqual({ p50: 400, p95: 400, max: 400 });
  });

  it("fails when the preview after up wants changes, naming them, and still checks traffic and destroys", async () => {
    const world = fakeWorld({ preview: { update: 2, replace: 1, create: 0 } });
    const report = await runE2e(world.deps, OPTIONS);
    expect(report.ok).toBe(false);
    expect(report.previewChanges).toEqual({ update: 2, replace: 1 });
    expect(report.failures).toEqual([
      "preview after up wants changes (update 2, replace 1): the program is not idempotent",
    ]);
    expect(report.predicted).toBe(20);
    expect(world.calls.at(-1)).toBe("destroy");
  });

  it("fails on missing predictions and missing rows after the timeout", async () => {
    const world = fakeWorld({ dropPredictions: 3, dropRows: 2 });
    const report = await runE2e(world.deps, { ...OPTIONS, timeoutMs: 10_000 });
    expect(report.predicted).toBe(17);
    expect(report.rows).toBe(15);
    expect(report.failures).toEqual([
      "3 of 20 events got no prediction within 10000 ms",
      "5 of 20 predictions have no BigQuery row within 10000 ms",
    ]);
  });

  it("keeps the stack without --destroy, even when up fails; with --destroy, destroys it when up fails", async () => {
    const kept = fakeWorld();
    expect((await runE2e(kept.deps, { ...OPTIONS, destroy: false })).destroyed).toBe(false);
    expect(kept.calls).not.toContain("destroy");
    const keptBroken = fakeWorld({ upFails: true });
    expect((await runE2e(keptBroken.deps, { ...OPTIONS, destroy: false })).destroyed).toBe(false);
    expect(keptBroken.calls).toEqual(["up"]);

    const broken = fakeWorld({ upFails: true });
    const report = await runE2e(broken.deps, OPTIONS);
    expect(broken.calls).toEqual(["up", "destroy"]);
    expect(report.failures).toEqual(["failed: quota exceeded for NVIDIA_L4 in us-central1"]);
    expect(report.destroyed).toBe(true);
  });

  it("counts only real changes in a change summary", () => {
    expect(changesOf({ same: 80, update: 0 })).toEqual({});
    expect(changesOf({ same: 80, "create-replacement": 1 })).toEqual({ "create-replacement": 1 });
  });

  it("publishes events of the input contract with unique ids, the template's entity and features", () => {
    const events = e2eEvents(3, "r", { entityId: "user-1", features: { amount: 1 } }) as Record<
      string,
      unknown
    >[];
    expect(events.map((e) => e.eventId)).toEqual(["e2e-r-0", "e2e-r-1", "e2e-r-2"]);
    expect(events[0]).toMatchObject({ entityId: "user-1", features: { amount: 1 } });
    expect(e2eEvents(2, "r").map((e) => (e as { entityId: string }).entityId)).toEqual([
      "e2e-entity-0",
      "e2e-entity-1",
    ]);
  });
});
