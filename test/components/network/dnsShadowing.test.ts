/** Which names the VPC's private googleapis.com zone answers for, and so which worker addresses it would shadow. */
import { describe, expect, it } from "vitest";
import { hostOf, shadowWarning, shadowingRecord } from "../../../components/network";

describe("the private googleapis.com zone", () => {
  it("answers every Google API host with its wildcard (that is its job)", () => {
    expect(shadowingRecord("pubsub.googleapis.com")).toBe("*.googleapis.com.");
    expect(shadowingRecord("us-central1-aiplatform.googleapis.com")).toBe("*.googleapis.com.");
    expect(shadowingRecord("private.googleapis.com")).toBe("private.googleapis.com.");
  });

  it("leaves a PSC address alone: the worker dials an IP", () => {
    expect(shadowWarning("psc", "10.10.3.7:443")).toBeUndefined();
    expect(shadowingRecord(hostOf("10.10.3.7:443"))).toBeUndefined();
  });

  it("would answer a peering predict URI's host, so the platform warns with how to check", () => {
    const uri = "http://5273770033.aiplatform.googleapis.com/v1/models/77:predict";
    expect(shadowingRecord(hostOf(uri))).toBe("*.googleapis.com.");
    expect(shadowWarning("peering", uri)).toMatch(
      /must resolve 5273770033\.aiplatform\.googleapis\.com, .* `getent hosts 5273770033\.aiplatform\.googleapis\.com`/,
    );
  });

  it("does not answer names outside googleapis.com", () => {
    expect(shadowingRecord("x.prediction.vertexai.goog")).toBeUndefined();
    expect(shadowingRecord("notgoogleapis.com")).toBeUndefined();
  });
});
