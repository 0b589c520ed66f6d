/** What the platform hands each endpoint of the validated model config (`servedModelOf`). */
import { describe, expect, it } from "vitest";
import { SERVED_MODEL_KEYS, servedModelOf } from "../../../components/serving";
import { stackConfig } from "../../helpers/stackConfig";

describe("servedModelOf", () => {
  it("passes the served fields of the config's model and none of the worker's (features, output, ...)", () => {
    const model = stackConfig("prod").model;
    const served = servedModelOf(model);
    expect(Object.keys(served).sort()).toEqual(
      SERVED_MODEL_KEYS.filter((k) => k !== "autoscalingMetric" && k !== "requestCountTarget").sort(),
    );
    expect(served).toMatchObject({
      displayName: model.displayName,
      artifactUri: model.artifactUri,
      machineType: model.machineType,
      minReplicas: model.minReplicas,
      dutyCycleTarget: model.dutyCycleTarget,
    });
  });

  it("passes the autoscaling choice only when request-count is chosen, so older deployments see no change", () => {
    const base = stackConfig("prod").model;
    expect(servedModelOf({ ...base, autoscalingMetric: "duty-cycle" })).not.toHaveProperty(
      "autoscalingMetric",
    );
    expect(
      servedModelOf({ ...base, autoscalingMetric: "request-count", requestCountTarget: 40 }),
    ).toMatchObject({
      autoscalingMetric: "request-count",
      requestCountTarget: 40,
    });
  });
});
