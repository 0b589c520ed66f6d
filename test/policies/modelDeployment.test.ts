import { describe, expect, it } from "vitest";
import { modelDeployment } from "./fixtures/compliantResources";
import { messagesOf, resourceViolations, withInput } from "./harness";

describe("model-deployment-allowed-machine", () => {
  it("passes an approved machine / accelerator pair", async () => {
    expect(await messagesOf("model-deployment-allowed-machine", modelDeployment)).toEqual([]);
  });

  it("flags a pair outside the approved list, and nothing else", async () => {
    const broken = withInput(
      withInput(modelDeployment, "machineType", "a2-highgpu-1g"),
      "acceleratorType",
      "NVIDIA_TESLA_A100",
    );
    expect((await resourceViolations(broken)).map((v) => [v.policy, v.message])).toEqual([
      [
        "model-deployment-allowed-machine",
        'Model deployment "model-us-central1" runs on a2-highgpu-1g + NVIDIA_TESLA_A100, which is not an approved machine: use one of n1-standard-4 + NVIDIA_TESLA_T4, n1-standard-8 + NVIDIA_TESLA_T4, g2-standard-4 + NVIDIA_L4, g2-standard-8 + NVIDIA_L4, g2-standard-12 + NVIDIA_L4 (or approve it in allowedMachines).',
      ],
    ]);
  });

  it("checks the pair, not each half: an approved machine with another accelerator is flagged", async () => {
    const broken = withInput(modelDeployment, "acceleratorType", "NVIDIA_TESLA_T4");
    expect(await messagesOf("model-deployment-allowed-machine", broken)).toHaveLength(1);
  });

  it("takes the approved list from the pack config", async () => {
    const config = {
      "model-deployment-allowed-machine": {
        allowedMachines: [{ machineType: "a2-highgpu-1g", acceleratorType: "NVIDIA_TESLA_A100" }],
      },
    };
    expect(await messagesOf("model-deployment-allowed-machine", modelDeployment, config)).toEqual([
      'Model deployment "model-us-central1" runs on g2-standard-8 + NVIDIA_L4, which is not an approved machine: use one of a2-highgpu-1g + NVIDIA_TESLA_A100 (or approve it in allowedMachines).',
    ]);
  });
});

describe("model-deployment-scale-cap", () => {
  it("passes a deployment within the caps", async () => {
    expect(await messagesOf("model-deployment-scale-cap", modelDeployment)).toEqual([]);
  });

  it("flags too many replicas, and nothing else", async () => {
    const broken = withInput(modelDeployment, "maxReplicas", 40);
    expect((await resourceViolations(broken)).map((v) => [v.policy, v.message])).toEqual([
      [
        "model-deployment-scale-cap",
        'Model deployment "model-us-central1" scales to 40 replicas: set maxReplicas to at most 10.',
      ],
    ]);
  });

  it("flags a deployment without a replica ceiling", async () => {
    expect(
      await messagesOf("model-deployment-scale-cap", withInput(modelDeployment, "maxReplicas", undefined)),
    ).toEqual([
      'Model deployment "model-us-central1" scales to an unbounded number of replicas: set maxReplicas to at most 10.',
    ]);
  });

  it("flags too many accelerators per replica", async () => {
    expect(
      await messagesOf("model-deployment-scale-cap", withInput(modelDeployment, "acceleratorCount", 4)),
    ).toEqual([
      'Model deployment "model-us-central1" attaches 4 NVIDIA_L4 per replica: set acceleratorCount to at most 2.',
    ]);
  });

  it("takes the caps from the pack config", async () => {
    const config = { "model-deployment-scale-cap": { maxReplicas: 4 } };
    expect(await messagesOf("model-deployment-scale-cap", modelDeployment, config)).toEqual([
      'Model deployment "model-us-central1" scales to 8 replicas: set maxReplicas to at most 4.',
    ]);
  });
});
