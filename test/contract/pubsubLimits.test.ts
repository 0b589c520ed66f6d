import { describe, expect, it } from "vitest";
import { boundToBytes, PUBSUB_LIMITS, pubsubMessageBytes, pubsubMessageProblems } from "../../contract";

const message = (attributes: Record<string, string>, data = "x") => ({ data: Buffer.from(data), attributes });

describe("pubsubMessageProblems (https://cloud.google.com/pubsub/quotas#resource_limits)", () => {
  it("accepts a message at every limit", () => {
    const attributes = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`k${i}`.padEnd(256, "k"), "v".repeat(1024)]),
    );
    expect(pubsubMessageProblems(message(attributes))).toEqual([]);
  });

  it.each([
    [
      "101 attributes",
      Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, "v"])),
      "101 attributes; at most 100",
    ],
    ["a 257-byte key", { ["k".repeat(257)]: "v" }, "attribute key of 257 bytes; at most 256"],
    [
      "a 1,025-byte value",
      { id: "v".repeat(1025) },
      'attribute "id" has a value of 1025 bytes; at most 1024',
    ],
    // Bytes, not characters: 342 three-byte characters are 1,026 bytes (googleapis/java-pubsub#2312).
    [
      "a value of 342 three-byte characters",
      { id: "€".repeat(342) },
      'attribute "id" has a value of 1026 bytes',
    ],
  ])("refuses %s", (_name, attributes, problem) => {
    expect(pubsubMessageProblems(message(attributes)).join("; ")).toContain(problem);
  });

  it("counts data and attributes against the message size", () => {
    const data = "d".repeat(PUBSUB_LIMITS.messageBytes - 10);
    expect(pubsubMessageProblems(message({ abcde: "12345" }, data))).toEqual([]);
    expect(pubsubMessageBytes(message({ abcde: "123456" }, data))).toBe(PUBSUB_LIMITS.messageBytes + 1);
    expect(pubsubMessageProblems(message({ abcde: "123456" }, data))).toEqual([
      `message of ${PUBSUB_LIMITS.messageBytes + 1} bytes; at most ${PUBSUB_LIMITS.messageBytes}`,
    ]);
  });

  it("refuses a message with neither data nor attributes (PubsubMessage in pubsub.proto)", () => {
    expect(pubsubMessageProblems(message({}, ""))).toHaveLength(1);
  });
});

describe("boundToBytes", () => {
  it("leaves a value that fits alone and cuts a longer one to the byte limit with a mark", () => {
    expect(boundToBytes("short")).toBe("short");
    const cut = boundToBytes("x".repeat(4096));
    expect(Buffer.byteLength(cut)).toBe(1024);
    expect(cut.endsWith("...")).toBe(true);
  });

  it("never splits a multi-byte character", () => {
    const cut = boundToBytes("€".repeat(400), 1024);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(1024);
    expect(cut).toBe(`${"€".repeat(340)}...`);
  });
});
