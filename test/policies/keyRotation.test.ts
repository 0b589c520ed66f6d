import { describe, expect, it } from "vitest";
import { cryptoKey } from "./fixtures/compliantResources";
import { messagesOf, resourceViolations, withInput } from "./harness";

describe("kms-key-rotation", () => {
  it("passes a key rotating every 90 days", async () => {
    expect(await messagesOf("kms-key-rotation", cryptoKey)).toEqual([]);
  });

  it("flags a key that never rotates, and nothing else", async () => {
    const broken = withInput(cryptoKey, "rotationPeriod", undefined);
    expect((await resourceViolations(broken)).map((v) => v.message)).toEqual([
      'KMS key "keys-us-central1" never rotates: set rotationPeriod to at most "7776000s" (90 days).',
    ]);
  });

  it("flags a rotation period over 90 days", async () => {
    expect(await messagesOf("kms-key-rotation", withInput(cryptoKey, "rotationPeriod", "7862400s"))).toEqual([
      'KMS key "keys-us-central1" rotates every 91 days (rotationPeriod "7862400s"): set rotationPeriod to at most "7776000s" (90 days).',
    ]);
  });

  it("flags a rotation period that is not a duration", async () => {
    expect(await messagesOf("kms-key-rotation", withInput(cryptoKey, "rotationPeriod", "90d"))).toEqual([
      'KMS key "keys-us-central1" has rotationPeriod "90d", which is not a duration: use seconds, e.g. "7776000s" (90 days).',
    ]);
  });

  it("takes the limit from the pack config", async () => {
    const config = { "kms-key-rotation": { maxRotationDays: 30 } };
    expect(await messagesOf("kms-key-rotation", cryptoKey, config)).toEqual([
      'KMS key "keys-us-central1" rotates every 90 days (rotationPeriod "7776000s"): set rotationPeriod to at most "2592000s" (30 days).',
    ]);
  });

  it("leaves asymmetric keys alone (they cannot rotate automatically)", async () => {
    const signing = withInput(
      withInput(cryptoKey, "purpose", "ASYMMETRIC_SIGN"),
      "rotationPeriod",
      undefined,
    );
    expect(await messagesOf("kms-key-rotation", signing)).toEqual([]);
  });
});
