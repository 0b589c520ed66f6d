/** The stand-in's endpoint-type rules, as pure decisions (the transports test covers them on the wire). */
import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { refusal } from "../../../local/vertex/grpcFront";
import { REQUEST_LIMIT_BYTES } from "../../../local/vertex";

const E = "projects/p/locations/l/endpoints/42";

describe("gRPC refusals by endpoint type", () => {
  it("public: any well-formed call reaches the model", () => {
    expect(refusal("public", E, "42", undefined)).toBeUndefined();
  });
  it("psc: only with x-vertex-ai-endpoint-id equal to the endpoint", () => {
    expect(refusal("psc", E, "42", "42")).toBeUndefined();
    expect(refusal("psc", E, "42", undefined)?.code).toBe(status.FAILED_PRECONDITION);
    expect(refusal("psc", E, "42", "43")?.message).toBe(
      'x-vertex-ai-endpoint-id is "43" but the request is for endpoint 42',
    );
  });
  it("peering: never over gRPC, header or not", () => {
    expect(refusal("peering", E, "42", "42")?.code).toBe(status.FAILED_PRECONDITION);
  });
  it("caps requests at 1.5 MB public, 10 MB private and PSC", () => {
    expect(REQUEST_LIMIT_BYTES).toEqual({ public: 1_500_000, psc: 10_000_000, peering: 10_000_000 });
  });
});
