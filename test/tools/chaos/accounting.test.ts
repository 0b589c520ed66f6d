import { describe, expect, it } from "vitest";
import {
  chaosExitCode,
  countDeadLetteredWithoutReason,
  countMisrouted,
  judgeOutstanding,
  recoveryMs,
  scenarioResult,
} from "../../../tools/chaos/accounting";

describe("recoveryMs", () => {
  const samples = [
    { atMs: 0, published: 0, done: 0 },
    { atMs: 1000, published: 100, done: 90 },
    { atMs: 2000, published: 200, done: 100 }, // fault ends here with 200 published
    { atMs: 3000, published: 300, done: 150 },
    { atMs: 4000, published: 300, done: 210 }, // caught up with the 200
    { atMs: 5000, published: 300, done: 300 },
  ];

  it("is the time from the fault's end until what was published by then is accounted for", () => {
    expect(recoveryMs(samples, 2000)).toBe(2000);
    expect(recoveryMs(samples, 1500)).toBe(500); // 100 published by 1500 ms; 100 done at 2000 ms
  });

  it("is null when the pipeline never caught up", () => {
    expect(recoveryMs(samples.slice(0, 4), 2000)).toBeNull();
  });
});

describe("scenario books", () => {
  it("reports lost = outstanding and fails the suite on any loss", () => {
    const counts = { published: 10, predicted: 7, deadLettered: 2, outstanding: 1, duplicates: 3 };
    const samples = [
      { atMs: 0, published: 0, done: 0 },
      { atMs: 4200, published: 10, done: 9 },
    ];
    const result = scenarioResult("kill", "d", counts, samples, 4200, { misrouted: 0 });
    expect(result).toMatchObject({
      published: 10,
      predicted: 7,
      deadLettered: 2,
      lost: 1,
      duplicates: 3,
      recoveryMs: null,
      durationSeconds: 4.2,
    });
    expect(chaosExitCode([result])).toBe(1);
    expect(chaosExitCode([{ ...result, lost: 0 }])).toBe(0);
  });

  it("fails a dependency-outage scenario on any dead letter, even with nothing lost", () => {
    const counts = { published: 10, predicted: 9, deadLettered: 1, outstanding: 0, duplicates: 0 };
    const samples = [{ atMs: 1000, published: 10, done: 10 }];
    const outage = scenarioResult("topic-outage", "d", counts, samples, 500, {
      misrouted: 1,
      noDeadLetters: true,
    });
    expect(outage).toMatchObject({ lost: 0, deadLettered: 1, noDeadLetters: true });
    expect(chaosExitCode([outage])).toBe(1);
    expect(chaosExitCode([{ ...outage, deadLettered: 0 }])).toBe(0);
    // Elsewhere a dead letter is a poison message's right outcome.
    const poison = scenarioResult("poison", "d", counts, samples, 500, { misrouted: 0 });
    expect(chaosExitCode([poison])).toBe(0);
  });

  it("fails the suite on an output over Pub/Sub's limits, and a strict scenario on any misrouting or reasonless dead letter", () => {
    const counts = { published: 10, predicted: 8, deadLettered: 2, outstanding: 0, duplicates: 0 };
    const base = scenarioResult("s", "d", counts, [{ atMs: 0, published: 10, done: 10 }], 0, {
      misrouted: 1,
      deadLetteredWithoutReason: 1,
    });
    expect(chaosExitCode([base])).toBe(0); // an existing scenario only reports them
    expect(chaosExitCode([{ ...base, outputsOverPubSubLimits: 1 }])).toBe(1);
    expect(chaosExitCode([{ ...base, strict: true }])).toBe(1);
    expect(chaosExitCode([{ ...base, strict: true, misrouted: 0 }])).toBe(1);
    expect(chaosExitCode([{ ...base, strict: true, misrouted: 0, deadLetteredWithoutReason: 0 }])).toBe(0);
  });

  it("counts as dead-lettered without reason only inputs the subscription's policy alone moved", () => {
    expect(
      countDeadLetteredWithoutReason([
        { predicted: false, deadLetters: [{ byPolicy: true }] },
        { predicted: false, deadLetters: [{ byPolicy: true }, { byPolicy: false }] },
        { predicted: false, deadLetters: [{ byPolicy: false }] },
        { predicted: true, deadLetters: [{ byPolicy: true }] },
        { predicted: false, deadLetters: [] },
      ]),
    ).toBe(1);
  });

  it("counts valid events dead-lettered and poison events predicted as misrouted", () => {
    expect(
      countMisrouted([
        { kind: "valid", predicted: true, deadLettered: false },
        { kind: "valid", predicted: false, deadLettered: true },
        { kind: "invalid-json", predicted: false, deadLettered: true },
        { kind: "out-of-range", predicted: true, deadLettered: false },
        { kind: "valid", predicted: true, deadLettered: true }, // predicted after a stray dead letter: not misrouted
      ]),
    ).toBe(2);
  });
});

describe("judgeOutstanding", () => {
  const live = new Set([4]); // workers 1-3 were SIGKILLed
  it("holds the emulator to account only for messages no live worker got and no worker acked", () => {
    const verdict = judgeOutstanding(
      ["never-seen", "killed-only", "killed-nacked", "acked-by-killed", "live-got-it", "live-acked"],
      {
        "never-seen": [],
        "killed-only": [
          { worker: 1, event: "received", deliveryAttempt: 1 },
          { worker: 3, event: "received", deliveryAttempt: 6 },
        ],
        "killed-nacked": [
          { worker: 2, event: "received", deliveryAttempt: 2 },
          { worker: 2, event: "settled", outcome: "nacked" },
        ],
        "acked-by-killed": [
          { worker: 2, event: "received", deliveryAttempt: 1 },
          { worker: 2, event: "settled", outcome: "predicted" },
        ],
        "live-got-it": [{ worker: 4, event: "received", deliveryAttempt: 12 }],
        "live-acked": [
          { worker: 4, event: "received", deliveryAttempt: 3 },
          { worker: 4, event: "settled", outcome: "dead_lettered" },
        ],
      },
      live,
    );
    expect(verdict.heldByEmulator).toEqual(["never-seen", "killed-only", "killed-nacked"]);
    expect(verdict.lost).toEqual(["acked-by-killed", "live-got-it", "live-acked"]);
  });

  it("holds a message no worker logged at all against the emulator", () => {
    expect(judgeOutstanding(["x"], {}, live)).toEqual({ lost: [], heldByEmulator: ["x"] });
  });
});

describe("scenarioResult with messages held by the emulator", () => {
  it("keeps them out of lost and reports them apart", () => {
    const counts = { published: 10, predicted: 7, deadLettered: 0, outstanding: 3, duplicates: 0 };
    const result = scenarioResult("kill", "d", counts, [], 0, { misrouted: 0, heldByEmulator: 2 });
    expect(result.lost).toBe(1);
    expect(result.heldByEmulator).toBe(2);
  });
});
