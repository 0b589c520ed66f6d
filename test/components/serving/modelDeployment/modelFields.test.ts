/**
 * The model deployment's field table decides, per input, whether a change rolls the model
 * out (replace), rescales it or is applied without touching it; and what validation asks of it.
 */
import { describe, expect, it } from "vitest";
import { MODEL_DEPLOYMENT_TYPE } from "../../../../contract";
import {
  INPUT_KEYS,
  MODEL_FIELDS,
  SCALING_KEYS,
  diffInputs,
  validateInputs,
} from "../../../../components/serving/modelDeployment/spec";
import { VALID_INPUTS } from "./modelInputs";

const CHANGED: Record<keyof typeof MODEL_FIELDS, unknown> = {
  project: "other",
  location: "europe-west4",
  endpoint: "projects/acme/locations/us-central1/endpoints/456",
  displayName: "renamed",
  artifactUri: "gs://acme-models/fraud/v8",
  servingImage: "us-docker.pkg.dev/acme/serving/fraud:v8",
  predictRoute: "/v2/predict",
  healthRoute: "/v2/health",
  port: 9090,
  machineType: "g2-standard-12",
  acceleratorType: "NVIDIA_TESLA_T4",
  acceleratorCount: 2,
  minReplicas: 3,
  maxReplicas: 9,
  dutyCycleTarget: 70,
  autoscalingMetric: "request-count",
  requestCountTarget: 100,
  switchMaxReplicas: 4,
  kmsKeyName: "projects/acme/locations/us-central1/keyRings/r/cryptoKeys/other",
  serviceAccount: "serving@acme.iam.gserviceaccount.com",
  labels: { team: "risk" },
  operationTimeoutSeconds: 60,
  connectivity: "peering",
};

describe("the model deployment's field table", () => {
  it("diffs every input, in the table's order", () => {
    expect(INPUT_KEYS).toEqual(Object.keys(MODEL_FIELDS));
    expect(INPUT_KEYS).toHaveLength(23);
  });

  it("rescales on the replica bounds and autoscaling, updates labels and the timeout in place, replaces on the rest", () => {
    expect(SCALING_KEYS).toEqual([
      "minReplicas",
      "maxReplicas",
      "dutyCycleTarget",
      "autoscalingMetric",
      "requestCountTarget",
      "switchMaxReplicas",
    ]);
    const inPlace = [...SCALING_KEYS, "labels", "operationTimeoutSeconds"];
    for (const key of INPUT_KEYS) {
      const diff = diffInputs(VALID_INPUTS, { ...VALID_INPUTS, [key]: CHANGED[key] });
      expect(diff.changed, key).toEqual([key]);
      expect(diff.replaces, key).toEqual(inPlace.includes(key) ? [] : [key]);
    }
  });

  it("asks a non-empty string or a positive integer of the required inputs", () => {
    const problems = validateInputs({});
    expect(problems.map((p) => p.property)).toEqual([
      ...["project", "location", "endpoint", "displayName", "artifactUri", "servingImage"],
      ...["predictRoute", "healthRoute", "machineType", "acceleratorType", "kmsKeyName"],
      ...["port", "acceleratorCount", "minReplicas", "maxReplicas", "dutyCycleTarget"],
    ]);
  });

  it("is the dynamic resource Pulumi names pulumi-nodejs:dynamic/vertex:ModelDeployment", () => {
    expect(MODEL_DEPLOYMENT_TYPE).toBe("pulumi-nodejs:dynamic/vertex:ModelDeployment");
  });
});
