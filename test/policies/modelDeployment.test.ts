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
        'Model deployment "model-us-central1" runs on a2-highgpu-1g + NVIDIA_TESLA_A100, which Vertex AI takes but is not an approved machine: use one of n1-standard-4 + NVIDIA_TESLA_T4, n1-standard-8 + NVIDIA_TESLA_T4, g2-standard-4 + NVIDIA_L4, g2-standard-8 + NVIDIA_L4, g2-standard-12 + NVIDIA_L4 (or approve it in allowedMachines).',
      ],
    ]);
  });

  it("checks the pair, not each half: an approved machine with another accelerator is flagged", async () => {
    const broken = withInput(modelDeployment, "acceleratorType", "NVIDIA_TESLA_T4");
    expect(await messagesOf("model-deployment-allowed-machine", broken)).toHaveLength(1);
  });

  it("refuses a pair Vertex AI does not take, from the config check's own table: n1-standard-96 + 1 x T4", async () => {
    const n1 = withInput(
      withInput(modelDeployment, "machineType", "n1-standard-96"),
      "acceleratorType",
      "NVIDIA_TESLA_T4",
    );
    const [message, ...rest] = await messagesOf("model-deployment-allowed-machine", n1);
    expect(rest).toEqual([]);
    expect(message).toMatch(
      /^Model deployment "model-us-central1" cannot be deployed as configured: machine type "n1-standard-96" is not a GPU machine type Vertex AI prediction takes/,
    );
  });

  it("approves a3-highgpu-8g + 8 x H100 once the pack config lists it, as the config check takes it", async () => {
    const a3 = withInput(
      withInput(
        withInput(modelDeployment, "machineType", "a3-highgpu-8g"),
        "acceleratorType",
        "NVIDIA_H100_80GB",
      ),
      "acceleratorCount",
      8,
    );
    expect(await messagesOf("model-deployment-allowed-machine", a3)).toEqual([
      expect.stringContaining(
        "runs on a3-highgpu-8g + NVIDIA_H100_80GB, which Vertex AI takes but is not an approved machine",
      ),
    ]);
    const config = {
      "model-deployment-allowed-machine": {
        allowedMachines: [{ machineType: "a3-highgpu-8g", acceleratorType: "NVIDIA_H100_80GB" }],
      },
    };
    expect(await messagesOf("model-deployment-allowed-machine", a3, config)).toEqual([]);
    // Approving a pair does not make a wrong count valid: the table still applies.
    expect(
      await messagesOf("model-deployment-allowed-machine", withInput(a3, "acceleratorCount", 2), config),
    ).toEqual([
      'Model deployment "model-us-central1" cannot be deployed as configured: a3-highgpu-8g comes with exactly 8 NVIDIA_H100_80GB; set acceleratorCount to 8.',
    ]);
  });

  it("takes the approved list from the pack config", async () => {
    const config = {
      "model-deployment-allowed-machine": {
        allowedMachines: [{ machineType: "a2-highgpu-1g", acceleratorType: "NVIDIA_TESLA_A100" }],
      },
    };
    expect(await messagesOf("model-deployment-allowed-machine", modelDeployment, config)).toEqual([
      'Model deployment "model-us-central1" runs on g2-standard-8 + NVIDIA_L4, which Vertex AI takes but is not an approved machine: use one of a2-highgpu-1g + NVIDIA_TESLA_A100 (or approve it in allowedMachines).',
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
