/** Key ring names carry the deployment id; `none` keeps the names of a stack deployed before ids. */
import { describe, expect, it } from "vitest";
import { keyRingName } from "../../../components/encryption";
import { ConfigError, parsePlatformConfig, projectKeys } from "../../../components/config";
import { stackFile } from "../../helpers/stackConfig";

describe("keyRingName", () => {
  it("appends the deployment id, or keeps <prefix>-<location> for none", () => {
    expect(keyRingName("si-prod", "us-central1", "e7acd5")).toBe("si-prod-us-central1-e7acd5");
    expect(keyRingName("si-prod", "us", "none")).toBe("si-prod-us");
  });

  it("refuses an id that is not 4-8 lowercase letters or digits, saying how to make one", () => {
    expect(() => keyRingName("si-prod", "us", "E7")).toThrow(/openssl rand -hex 3/);
  });

  it("refuses a name KMS would refuse ([a-zA-Z0-9_-]{1,63})", () => {
    expect(() => keyRingName("x".repeat(60), "us-central1", "abcd")).toThrow(/kms\/v1\/service\.proto/);
  });
});

describe("deploymentId in the stack config", () => {
  const without = Object.fromEntries(
    Object.entries(projectKeys(stackFile("prod"))).filter(([k]) => k !== "deploymentId"),
  );

  it("is required, and the error says how to make it", () => {
    expect(() => parsePlatformConfig(without)).toThrow(ConfigError);
    expect(() => parsePlatformConfig(without)).toThrow(
      "streaming-inference:deploymentId is required (string); set it once, at stack init, with `pulumi config set deploymentId $(openssl rand -hex 3)`",
    );
  });

  it("refuses a value of another form, naming key and value", () => {
    expect(() => parsePlatformConfig({ ...without, deploymentId: "Prod_1" })).toThrow(
      /streaming-inference:deploymentId is "Prod_1": must be 4-8 lowercase letters or digits/,
    );
  });
});
