/**
 * Inside the plugin (another language constructs the components), the platform's model
 * deployments are the package's own custom resource: no dynamic provider, which cannot load
 * there (pulumi/pulumi#5455). Rendered under mocks with the plugin's switch on, as the plugin
 * host sets it before serving.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, settle, valueOf, type Recorder } from "../../../tools/plan/mocks";
import { StreamingInferencePlatform } from "../../../components";
import {
  PACKAGE_MODEL_DEPLOYMENT_TYPE,
  serveModelDeploymentsFromPlugin,
} from "../../../components/serving/modelDeployment/packageResource";
import { MODEL_DEPLOYMENT_TYPE } from "../../../contract/modelDeployment";
import { stackConfig } from "../../helpers/stackConfig";
import { runPolicies } from "../../../policies/src";

let recorder: Recorder;
let platform: StreamingInferencePlatform;

beforeAll(async () => {
  recorder = await installMocks({ gcpProject: "acme-ml-prod", stack: "prod" });
  serveModelDeploymentsFromPlugin("0.1.0");
  platform = new StreamingInferencePlatform("si-prod", { config: stackConfig("prod") });
  await settle();
});

describe("the platform constructed inside the plugin", () => {
  it("registers no dynamic resource", () => {
    expect(recorder.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"))).toEqual([]);
    expect(recorder.ofType(MODEL_DEPLOYMENT_TYPE)).toEqual([]);
  });

  it("deploys the model in every region as the package's custom resource, with the same inputs", () => {
    const deployments = recorder.ofType(PACKAGE_MODEL_DEPLOYMENT_TYPE);
    expect(deployments.map((d) => d.inputs.location)).toEqual(["us-central1", "us-east1"]);
    for (const d of deployments) {
      expect(d.custom).toBe(true);
      expect(d.inputs).not.toHaveProperty("__provider");
      expect(d.inputs).toMatchObject({ connectivity: "psc", project: "acme-ml-prod" });
      expect(d.inputs.endpoint).toMatch(/^projects\/acme-ml-prod\/locations\/[a-z0-9-]+\/endpoints\/\d+$/);
    }
  });

  it("still wires the serving address from the deployment's outputs", async () => {
    const ids = await valueOf(platform.endpointIds);
    expect(Object.keys(ids)).toEqual(["us-central1", "us-east1"]);
  });

  it("is held to the model-deployment policies like the dynamic resource", async () => {
    const [first] = recorder.ofType(PACKAGE_MODEL_DEPLOYMENT_TYPE);
    const offApproved = { ...first!, inputs: { ...first!.inputs, machineType: "a3-highgpu-8g" } };
    const violations = await runPolicies([offApproved]);
    expect(violations.map((v) => v.message).join("\n")).toMatch(/a3-highgpu-8g/);
  });
});
