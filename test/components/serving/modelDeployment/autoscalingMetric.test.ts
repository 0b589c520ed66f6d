import { describe, expect, it } from "vitest";
import {
  DUTY_CYCLE_METRIC,
  REQUEST_COUNT_METRIC,
  dedicatedResources,
  diffInputs,
  validateInputs,
} from "../../../../components/serving/modelDeployment/spec";
import { parsePlatformConfig, ConfigError } from "../../../../components/config";
import { stackConfig } from "../../../helpers/stackConfig";
import { VALID_INPUTS } from "./modelInputs";

describe("the GPU deployment's autoscaling signal", () => {
  it("scales on GPU duty cycle unless told otherwise", () => {
    expect(dedicatedResources(VALID_INPUTS).autoscalingMetricSpecs).toEqual([
      { metricName: DUTY_CYCLE_METRIC, target: 60 },
    ]);
  });

  it("can scale on prediction request count instead", () => {
    const inputs = { ...VALID_INPUTS, autoscalingMetric: "request-count" as const, requestCountTarget: 600 };
    expect(validateInputs({ ...inputs })).toEqual([]);
    expect(dedicatedResources(inputs).autoscalingMetricSpecs).toEqual([
      { metricName: "aiplatform.googleapis.com/prediction/online/request_count", target: 600 },
    ]);
    expect(REQUEST_COUNT_METRIC).toBe("aiplatform.googleapis.com/prediction/online/request_count");
  });

  it("changes the signal in place (MutateDeployedModel), not by redeploying", () => {
    const news = { ...VALID_INPUTS, autoscalingMetric: "request-count" as const, requestCountTarget: 600 };
    expect(diffInputs(VALID_INPUTS, news)).toEqual({
      changed: ["autoscalingMetric", "requestCountTarget"],
      replaces: [],
    });
  });

  it("rejects an unknown signal, and request count without a target", () => {
    expect(validateInputs({ ...VALID_INPUTS, autoscalingMetric: "qps" })).toEqual([
      {
        property: "autoscalingMetric",
        reason: 'autoscalingMetric must be one of duty-cycle, request-count, got "qps"',
      },
    ]);
    expect(validateInputs({ ...VALID_INPUTS, autoscalingMetric: "request-count" })).toEqual([
      {
        property: "requestCountTarget",
        reason:
          "requestCountTarget must be a positive integer with autoscalingMetric request-count, got undefined",
      },
    ]);
  });

  it("is a model setting of the stack config, with the target required for request count", () => {
    expect(stackConfig("prod").model.autoscalingMetric).toBe("duty-cycle");
    const model = { ...stackConfig("prod").model, autoscalingMetric: "request-count" };
    try {
      parsePlatformConfig({ ...stackConfig("prod"), model });
      throw new Error("expected a config error");
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual([
        "streaming-inference:model.requestCountTarget is not set: must be set when model.autoscalingMetric is request-count",
      ]);
    }
  });
});
