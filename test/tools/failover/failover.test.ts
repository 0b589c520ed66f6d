/**
 * The failover's decisions with injected fakes: the replay point and its margin, the seek, the
 * config change, fail-back, active-active, and every refusal leaving everything untouched.
 */
import { describe, expect, it } from "vitest";
import {
  checkReplayPoint,
  describeFailover,
  FailoverRefused,
  runFailover,
  seekWindowStart,
} from "../../../tools/failover/failover";
import type { FailoverRequest } from "../../../tools/failover/failover";
import { Unavailable } from "../../../tools/failover/clients";
import { fakeClients, prodStack } from "./fakes";
import type { FakeState } from "./fakes";

const NOW = new Date("2026-12-04T12:00:00Z");
const EAST = "si-prod-events-us-east1";
const CENTRAL = "si-prod-events-us-central1";

function setup(state: Partial<FakeState> = {}) {
  const full: FakeState = { seeks: [], workers: new Set(), retentionSeconds: 259_200, ...state };
  const writes: string[] = [];
  return { state: full, clients: fakeClients(full), writes, write: (r: string) => void writes.push(r) };
}

const request = (extra: Partial<FailoverRequest> = {}): FailoverRequest => ({
  to: "us-east1",
  marginSeconds: 60,
  dryRun: false,
  now: NOW,
  ...extra,
});

describe("standby failover", () => {
  it("seeks the standby subscription to the oldest unacked message less the margin, then sets activeRegion", async () => {
    const t = setup({ oldest: { publishTime: new Date("2026-12-04T11:50:00Z"), source: "metric" } });
    const result = await runFailover(prodStack(), request(), t.clients, t.write);
    expect(t.state.seeks).toEqual([{ subscription: EAST, time: new Date("2026-12-04T11:49:00Z") }]);
    expect(t.writes).toEqual(["us-east1"]);
    expect(result.from).toEqual(["us-central1"]);
    expect(result.replaySource).toContain(`oldest unacked message of ${CENTRAL}`);
    expect(result.configChange).toMatchObject({ from: "us-central1", to: "us-east1", done: true });
  });

  it("uses --at as given, without a margin", async () => {
    const t = setup({ oldest: new Error("must not be asked") });
    const at = new Date("2026-12-04T11:30:00Z");
    await runFailover(prodStack(), request({ at }), t.clients, t.write);
    expect(t.state.seeks).toEqual([{ subscription: EAST, time: at }]);
  });

  it("with an empty backlog, replays from now less the margin", async () => {
    const t = setup({ oldest: { source: "metric" } });
    await runFailover(prodStack(), request({ marginSeconds: 30 }), t.clients, t.write);
    expect(t.state.seeks[0]!.time).toEqual(new Date(NOW.getTime() - 30_000));
  });

  it("fails back the same way: the old region's subscription is sought", async () => {
    const t = setup({ oldest: { publishTime: new Date("2026-12-04T11:58:00Z"), source: "metric" } });
    await runFailover(
      prodStack({ activeRegion: "us-east1" }),
      request({ to: "us-central1" }),
      t.clients,
      t.write,
    );
    expect(t.state.seeks.map((s) => s.subscription)).toEqual([CENTRAL]);
    expect(t.writes).toEqual(["us-central1"]);
  });

  it("a dry run computes and prints, and changes nothing", async () => {
    const t = setup({ oldest: { publishTime: new Date("2026-12-04T11:50:00Z"), source: "metric" } });
    const result = await runFailover(prodStack(), request({ dryRun: true }), t.clients, t.write);
    expect(t.state.seeks).toEqual([]);
    expect(t.writes).toEqual([]);
    const text = describeFailover(result).join("\n");
    expect(text).toContain("replay point: 2026-12-04T11:49:00Z");
    expect(text).toContain(`would seek ${EAST} to 2026-12-04T11:49:00Z`);
    expect(text).toContain("would set streaming-inference:activeRegion us-central1 -> us-east1");
    expect(text).toContain("pulumi up --stack prod");
  });

  it("a dry run without access says the replay point is to be computed from the metric", async () => {
    const t = setup({ oldest: new Unavailable("no credentials"), presenceUnavailable: true });
    const result = await runFailover(prodStack(), request({ dryRun: true }), t.clients, t.write);
    expect(result.replayPoint).toBeUndefined();
    expect(result.replaySource).toMatch(
      /^to be computed from pubsub\.googleapis\.com\/subscription\/oldest_unacked_message_age/,
    );
    expect(describeFailover(result).join("\n")).toContain(`would seek ${EAST} to the replay point`);
  });

  it("without a replay point source, a real run is refused, not guessed", async () => {
    const t = setup({ oldest: new Unavailable("no credentials") });
    await expect(runFailover(prodStack(), request(), t.clients, t.write)).rejects.toThrow(
      /Give it with --at/,
    );
    expect(t.state.seeks).toEqual([]);
    expect(t.writes).toEqual([]);
  });
});

describe("refusals (nothing sought, nothing written)", () => {
  const refused = async (t: ReturnType<typeof setup>, run: Promise<unknown>, message: RegExp) => {
    await expect(run).rejects.toThrow(FailoverRefused);
    await expect(run).rejects.toThrow(message);
    expect(t.state.seeks).toEqual([]);
    expect(t.writes).toEqual([]);
  };

  it("a region that is not configured", async () => {
    const t = setup();
    await refused(
      t,
      runFailover(prodStack(), request({ to: "europe-west1" }), t.clients, t.write),
      /europe-west1 is not configured.*us-central1, us-east1/,
    );
  });

  it("a replay point before the retention window", async () => {
    const t = setup({ retentionSeconds: 3600 });
    const at = new Date(NOW.getTime() - 2 * 3600_000);
    await refused(
      t,
      runFailover(prodStack(), request({ at }), t.clients, t.write),
      /outside the retention.*earliest point a seek restores is 2026-12-04T11:00:00Z/,
    );
  });

  it("a computed replay point before the retention window too", async () => {
    const t = setup({
      retentionSeconds: 600,
      oldest: { publishTime: new Date(NOW.getTime() - 3600_000), source: "m" },
    });
    await refused(t, runFailover(prodStack(), request(), t.clients, t.write), /outside the retention/);
  });

  it("a replay point in the future", async () => {
    const t = setup();
    await refused(
      t,
      runFailover(prodStack(), request({ at: new Date(NOW.getTime() + 60_000) }), t.clients, t.write),
      /in the future/,
    );
  });

  it("a standby subscription that already has a worker", async () => {
    const t = setup({ workers: new Set([EAST]) });
    await refused(
      t,
      runFailover(prodStack(), request({ at: NOW }), t.clients, t.write),
      /already has a worker/,
    );
  });

  it("the region that is already active", async () => {
    const t = setup();
    await refused(
      t,
      runFailover(prodStack(), request({ to: "us-central1" }), t.clients, t.write),
      /already the active region/,
    );
  });

  it("a worker check that cannot answer, outside a dry run", async () => {
    const t = setup({ presenceUnavailable: true });
    await refused(
      t,
      runFailover(prodStack(), request({ at: NOW }), t.clients, t.write),
      /cannot tell whether us-east1 has a worker/,
    );
  });
});

describe("active-active failover", () => {
  const activeActive = () => prodStack({ failoverMode: "active-active" });

  it("seeks the other regions' subscriptions to now (skips the catch-up) and sets activeRegion", async () => {
    const t = setup({ workers: new Set([EAST]) });
    const result = await runFailover(activeActive(), request(), t.clients, t.write);
    expect(t.state.seeks).toEqual([{ subscription: CENTRAL, time: NOW }]);
    expect(t.writes).toEqual(["us-east1"]);
    expect(result.replayPoint).toBeUndefined();
  });

  it("refuses when the surviving region has no worker: nothing would predict the skipped events", async () => {
    const t = setup();
    await expect(runFailover(activeActive(), request(), t.clients, t.write)).rejects.toThrow(/has no worker/);
    expect(t.state.seeks).toEqual([]);
  });

  it("refuses --at", async () => {
    const t = setup({ workers: new Set([EAST]) });
    await expect(runFailover(activeActive(), request({ at: NOW }), t.clients, t.write)).rejects.toThrow(
      /--at does not apply/,
    );
  });
});

describe("the seek window", () => {
  const facts = { name: "s", retentionSeconds: 600, retainAckedMessages: false };
  it("is the longer of the subscription's and the topic's retention", () => {
    expect(seekWindowStart(facts, NOW)).toEqual(new Date(NOW.getTime() - 600_000));
    expect(seekWindowStart({ ...facts, topicRetentionSeconds: 3600 }, NOW)).toEqual(
      new Date(NOW.getTime() - 3600_000),
    );
  });
  it("accepts its first instant and refuses the one before", () => {
    expect(() => checkReplayPoint(new Date(NOW.getTime() - 600_000), facts, NOW, "prod")).not.toThrow();
    expect(() => checkReplayPoint(new Date(NOW.getTime() - 600_001), facts, NOW, "prod")).toThrow(
      FailoverRefused,
    );
  });
});
