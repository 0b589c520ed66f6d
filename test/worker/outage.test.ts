/** Which failures are a dependency's (held, no attempt spent) and which a message's. */
import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { isOutage } from "../../worker/src/outage";
import { HttpPredictError } from "../../worker/src/predict/httpTransport";
import { ModelAnswerError } from "../../worker/src/predictionSpec";
import { TimeoutError } from "../../worker/src/retry";
import { grpcError } from "./helpers";

describe("isOutage", () => {
  it.each([
    ["UNAVAILABLE (refused, reset, 502/503)", status.UNAVAILABLE],
    ["DEADLINE_EXCEEDED (no answer in time, 504)", status.DEADLINE_EXCEEDED],
    ["RESOURCE_EXHAUSTED (throttled, quota)", status.RESOURCE_EXHAUSTED],
    ["NOT_FOUND (deleted topic, wrong table or instance)", status.NOT_FOUND],
    ["PERMISSION_DENIED (a grant missing)", status.PERMISSION_DENIED],
    ["UNAUTHENTICATED (no credentials)", status.UNAUTHENTICATED],
  ])("a dependency's failure: %s", (_, code) => {
    expect(isOutage(grpcError(code))).toBe(true);
  });

  it.each([
    ["INVALID_ARGUMENT (this request is wrong)", grpcError(status.INVALID_ARGUMENT)],
    ["INTERNAL without a network cause (a model can fail on one input)", grpcError(status.INTERNAL)],
    ["a bad model answer", new ModelAnswerError("2 predictions for 3 instances")],
    ["a plain error", new Error("Cannot read properties of undefined")],
  ])("the message's (or the worker's) failure: %s", (_, err) => {
    expect(isOutage(err)).toBe(false);
  });

  it("our own deadline is an outage", () => {
    expect(isOutage(new TimeoutError("predict", 100))).toBe(true);
  });

  it("finds TLS, DNS and connection failures by their code along the cause chain, whatever gRPC code they carry", () => {
    const tls = Object.assign(new Error("self-signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
    expect(isOutage(new Error("predict failed", { cause: tls }))).toBe(true);
    const dns = Object.assign(new Error("getaddrinfo ENOTFOUND x.prediction.p.vertexai.goog"), {
      code: "ENOTFOUND",
    });
    expect(isOutage(Object.assign(new Error("wrapped", { cause: dns }), { code: status.UNKNOWN }))).toBe(
      true,
    );
    // The HTTP transport keeps only the text of some connection errors.
    expect(
      isOutage(
        new HttpPredictError("predict request to 10.0.0.5 failed: connect ECONNREFUSED", status.UNKNOWN),
      ),
    ).toBe(true);
    expect(
      isOutage(
        new HttpPredictError(
          "predict request to h failed: unable to verify the first certificate",
          status.UNKNOWN,
        ),
      ),
    ).toBe(true);
  });

  it("a rejected request stays the message's even if its text mentions a connection", () => {
    expect(isOutage(grpcError(status.INVALID_ARGUMENT, "field ECONNREFUSED is not a feature"))).toBe(false);
  });
});
