/**
 * The schema of the plugin's custom resource `streaming-inference:index:ModelDeployment` says
 * what spec.ts does: the same inputs, the required ones, and which changes replace the
 * deployment. A field added to spec.ts and not to the schema (or the other way) fails here.
 */
import { describe, expect, it } from "vitest";
import { modelDeploymentSchema } from "../../../components/packagePlugin/modelDeploymentSchema";
import { INPUT_KEYS, MODEL_FIELDS, validateInputs } from "../../../components/serving/modelDeployment/spec";

const schema = modelDeploymentSchema();

describe("the ModelDeployment resource schema", () => {
  it("takes exactly the inputs the provider diffs", () => {
    expect(Object.keys(schema.inputProperties).sort()).toEqual([...INPUT_KEYS].sort());
  });

  it("requires every input the provider's check requires", () => {
    const required = Object.entries(MODEL_FIELDS)
      .filter(([, rule]) => "required" in rule)
      .map(([key]) => key);
    expect(schema.requiredInputs).toEqual(expect.arrayContaining(required));
    // And no more than the check rejects when missing, bar dutyCycleTarget (checked as 1-100).
    const problems = validateInputs({}).map((p) => p.property);
    expect(schema.requiredInputs.filter((k) => !problems.includes(k))).toEqual([]);
  });

  it("marks as replacing exactly the inputs whose change deploys a new model", () => {
    const replacing = Object.entries(schema.inputProperties)
      .filter(([, p]) => p.willReplaceOnChanges)
      .map(([k]) => k);
    const expected = Object.entries(MODEL_FIELDS)
      .filter(([, rule]) => rule.change === "replace")
      .map(([k]) => k);
    expect(replacing.sort()).toEqual(expected.sort());
    expect(schema.inputProperties.minReplicas?.willReplaceOnChanges).toBeUndefined();
  });

  it("describes the state: the inputs and what the provider adds", () => {
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        ...INPUT_KEYS,
        "model",
        "modelVersionId",
        "deployedModelId",
        "pscAddress",
        "predictHttpUri",
      ]),
    );
    expect(schema.required).toEqual(expect.arrayContaining(["model", "deployedModelId"]));
    expect(schema.inputProperties.labels).toMatchObject({
      type: "object",
      additionalProperties: { type: "string" },
    });
  });
});
