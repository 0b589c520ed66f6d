import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  backoffDelayMs,
  isRetryable,
  TimeoutError,
  withRetry,
  type BackoffPolicy,
} from "../../worker/src/retry";

const policy: BackoffPolicy = { initialDelayMs: 100, multiplier: 2, maxDelayMs: 1_000 };
const grpcError = (code: number) => Object.assign(new Error(status[code]), { code });

describe("backoffDelayMs", () => {
  it("doubles from the initial delay and stops growing at the cap", () => {
    const top = () => 1; // the random part at its maximum
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffDelayMs(n, policy, top))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it("jitters within [d/2, d] of the capped exponential delay", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, r) => {
          const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** n);
          const delay = backoffDelayMs(n, policy, () => r);
          return delay >= ceiling / 2 && delay <= ceiling;
        },
      ),
    );
  });
});

describe("isRetryable", () => {
  it("retries unavailable, throttled, timed-out calls and our own timeouts only", () => {
    expect(isRetryable(grpcError(status.UNAVAILABLE))).toBe(true);
    expect(isRetryable(grpcError(status.RESOURCE_EXHAUSTED))).toBe(true);
    expect(isRetryable(grpcError(status.DEADLINE_EXCEEDED))).toBe(true);
    expect(isRetryable(new TimeoutError("predict", 10))).toBe(true);
    for (const code of [
      status.INVALID_ARGUMENT,
      status.PERMISSION_DENIED,
      status.NOT_FOUND,
      status.INTERNAL,
    ]) {
      expect(isRetryable(grpcError(code))).toBe(false);
    }
    expect(isRetryable(new Error("no code"))).toBe(false);
  });
});

describe("withRetry", () => {
  const noSleep = { sleep: async () => {}, random: () => 0.5, backoff: policy };

  it("retries a transient failure until it succeeds", async () => {
    let attempts = 0;
    const result = await withRetry(
      async () => {
        attempts++;
        if (attempts < 3) throw grpcError(status.UNAVAILABLE);
        return "ok";
      },
      { maxRetries: 4, ...noSleep },
    );
    expect(result).toBe("ok");
    expect(attempts).toBe(3);
  });

  it("gives up after maxRetries and throws the last error", async () => {
    let attempts = 0;
    const delays: number[] = [];
    const failing = withRetry(
      async () => {
        attempts++;
        throw grpcError(status.RESOURCE_EXHAUSTED);
      },
      { maxRetries: 3, ...noSleep, sleep: async (ms) => void delays.push(ms) },
    );
    await expect(failing).rejects.toMatchObject({ code: status.RESOURCE_EXHAUSTED });
    expect(attempts).toBe(4);
    expect(delays).toEqual([75, 150, 300]);
  });

  it("does not retry a non-retryable error", async () => {
    let attempts = 0;
    await expect(
      withRetry(
        async () => {
          attempts++;
          throw grpcError(status.INVALID_ARGUMENT);
        },
        { maxRetries: 5, ...noSleep },
      ),
    ).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(attempts).toBe(1);
  });

  it("stops retrying once aborted", async () => {
    const controller = new AbortController();
    let attempts = 0;
    await expect(
      withRetry(
        async () => {
          attempts++;
          controller.abort();
          throw grpcError(status.UNAVAILABLE);
        },
        { maxRetries: 5, ...noSleep, signal: controller.signal },
      ),
    ).rejects.toMatchObject({ code: status.UNAVAILABLE });
    expect(attempts).toBe(1);
  });
});
