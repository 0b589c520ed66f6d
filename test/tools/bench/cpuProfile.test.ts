import { describe, expect, it } from "vitest";
import { stageBreakdown, stageOfStack, type CpuProfile } from "../../../tools/bench/cpuProfile";
import { isBusy } from "../../../tools/bench/machineLoad";

const frame = (functionName: string, url = "") => ({ functionName, url });
const PUBSUB = "file:///repo/node_modules/@google-cloud/pubsub/build/src/";

describe("stageOfStack", () => {
  it("gives a sample to the stage nearest the leaf", () => {
    // decodeEvent runs inside the subscriber's message dispatch: it is decode, not pull.
    expect(
      stageOfStack([
        frame("parse"),
        frame("decodeEvent", "file:///repo/worker/src/decode.ts"),
        frame("push", "file:///repo/worker/src/pipeline.ts"),
        frame("emit", `${PUBSUB}lease-manager.js`),
      ]),
    ).toBe("decode");
    expect(stageOfStack([frame("remove", `${PUBSUB}lease-manager.js`)])).toBe("pull + lease");
    expect(stageOfStack([frame("Value$encode"), frame("serialize", "proto-loader")])).toBe(
      "build request (Value conversion, sizing)",
    );
    expect(stageOfStack([frame("ackWithResponse", `${PUBSUB}subscriber.js`)])).toBe("ack");
    expect(stageOfStack([frame("PublishRequest$encode")])).toBe("publish");
  });

  it("reports shared transport code apart when no frame names a stage", () => {
    expect(stageOfStack([frame("write", "node:internal/http2/core")])).toBe("grpc/http2 (unattributed)");
    expect(stageOfStack([frame("(garbage collector)")])).toBe("garbage collection");
    expect(stageOfStack([frame("somethingElse", "node:events")])).toBe("other");
  });
});

describe("stageBreakdown", () => {
  it("leaves out start-up (before the first decode) and divides by the messages", () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame("(root)"), children: [2, 3, 4] },
        { id: 2, callFrame: frame("loadModules", "node:internal/modules/cjs/loader") },
        { id: 3, callFrame: frame("decodeEvent", "file:///w/worker/src/decode.ts") },
        { id: 4, callFrame: frame("(garbage collector)") },
      ],
      startTime: 0,
      endTime: 10_000,
      samples: [2, 2, 3, 4, 4],
      timeDeltas: [0, 1000, 1000, 1000, 1000, 1000],
    };
    const result = stageBreakdown(profile, 2);
    expect(result.windowMs).toBe(3);
    expect(result.msPerMessage.decode).toBe(0.5);
    expect(result.msPerMessage["garbage collection"]).toBe(1);
    expect(result.totalMsPerMessage).toBe(1.5);
    expect(result.msPerMessage.other).toBe(0);
  });
});

describe("isBusy", () => {
  it("calls a machine busy when its 1-minute load passes half its cores", () => {
    expect(isBusy(0.9, 2)).toBe(false);
    expect(isBusy(1.1, 2)).toBe(true);
  });
});
