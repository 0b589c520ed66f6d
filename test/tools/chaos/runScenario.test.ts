import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { workerTrail } from "../../../tools/chaos/runScenario";

describe("workerTrail", () => {
  it("lists what each worker logged of the ids since the run started, skipping older runs' lines", () => {
    const dir = mkdtempSync(join(tmpdir(), "trail-"));
    const line = (time: string, fields: Record<string, unknown>) => JSON.stringify({ time, ...fields });
    writeFileSync(
      join(dir, "w1.log"),
      [
        line("2026-12-02T10:00:00.000Z", { messageId: "7", message: "message received", deliveryAttempt: 1 }),
        line("2026-12-02T11:00:00.000Z", { messageId: "7", message: "message received", deliveryAttempt: 2 }),
        "not json",
      ].join("\n"),
    );
    writeFileSync(
      join(dir, "w2.log"),
      [
        line("2026-12-02T11:00:01.000Z", { messageId: "7", message: "message received", deliveryAttempt: 5 }),
        line("2026-12-02T11:00:01.050Z", {
          messageId: "7",
          message: "message settled",
          outcome: "predicted",
        }),
        line("2026-12-02T11:00:01.050Z", {
          messageId: "8",
          message: "message settled",
          outcome: "predicted",
        }),
      ].join("\n"),
    );
    const trail = workerTrail(
      [join(dir, "w1.log"), join(dir, "w2.log"), join(dir, "missing.log")],
      new Set(["7", "9"]),
      "2026-12-02T10:30:00.000Z",
    );
    expect(trail).toEqual({
      "7": [
        { worker: 1, event: "received", deliveryAttempt: 2 },
        { worker: 2, event: "received", deliveryAttempt: 5 },
        { worker: 2, event: "settled", outcome: "predicted" },
      ],
      "9": [],
    });
  });
});
