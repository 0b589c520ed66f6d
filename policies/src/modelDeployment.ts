/**
 * GPU spend: a model deployment (the serving component's dynamic resource) runs on an
 * approved machine / accelerator pair, with bounded accelerators and replicas. Which pairs
 * exist at all is the one GPU table (contract/gpuMachines.ts) the config check uses too; the
 * approved list is a subset of it.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { checkGpuMachine, DEFAULT_APPROVED_MACHINES } from "../../contract/gpuMachines";
import type { ModelDeploymentInputs } from "../../contract/modelDeployment";
import { settings } from "./policyConfig";
import { MODEL_DEPLOYMENTS, describe, type ResourceView } from "./resources";

/** One approved machine: a Vertex AI machine type and the accelerator it carries. */
export interface MachineSpec {
  machineType: string;
  acceleratorType: string;
}

export function modelDeploymentProps(resource: ResourceView): Partial<ModelDeploymentInputs> | undefined {
  return MODEL_DEPLOYMENTS.includes(resource.type)
    ? (resource.props as Partial<ModelDeploymentInputs>)
    : undefined;
}

export const machineSettings = settings<{ allowedMachines: MachineSpec[] }>({
  allowedMachines: {
    type: "array",
    items: {
      type: "object",
      properties: { machineType: { type: "string" }, acceleratorType: { type: "string" } },
      required: ["machineType", "acceleratorType"],
    },
    default: DEFAULT_APPROVED_MACHINES.map((m) => ({ ...m })),
    description:
      "Machine type / accelerator pairs a model may be deployed on (each must also be one Vertex AI takes: contract/gpuMachines.ts).",
  },
});

const pair = (m: Partial<MachineSpec>) => `${m.machineType} + ${m.acceleratorType}`;

export const modelDeploymentAllowedMachine: ResourceValidationPolicy = {
  name: "model-deployment-allowed-machine",
  description:
    "Every model deployment uses a machine type / accelerator pair that Vertex AI takes (the GPU table the " +
    "config check uses) and that is on the approved list (configurable): GPU machines are the platform's " +
    "largest cost, and an approved pair is one that has been sized, quota-checked and load-tested.",
  enforcementLevel: "mandatory",
  configSchema: machineSettings.schema,
  validateResource: (args, reportViolation) => {
    const deployment = modelDeploymentProps(args);
    if (!deployment) return args.notApplicable("not a model deployment");
    const invalid = checkGpuMachine(
      String(deployment.machineType),
      String(deployment.acceleratorType),
      Number(deployment.acceleratorCount),
    );
    if (invalid) {
      reportViolation(`${describe(args)} cannot be deployed as configured: ${invalid}.`);
      return;
    }
    const { allowedMachines } = machineSettings.read(args);
    const allowed = allowedMachines.some(
      (m) => m.machineType === deployment.machineType && m.acceleratorType === deployment.acceleratorType,
    );
    if (!allowed) {
      reportViolation(
        `${describe(args)} runs on ${pair(deployment)}, which Vertex AI takes but is not an approved machine: use one of ` +
          `${allowedMachines.map(pair).join(", ")} (or approve it in allowedMachines).`,
      );
    }
  },
};

export const scaleSettings = settings<{ maxReplicas: number; maxAcceleratorCount: number }>({
  maxReplicas: {
    type: "integer",
    minimum: 1,
    default: 10,
    description: "Highest autoscaling ceiling (maxReplicas) of a model deployment.",
  },
  maxAcceleratorCount: {
    type: "integer",
    minimum: 1,
    default: 2,
    description: "Most accelerators per replica.",
  },
});

export const modelDeploymentScaleCap: ResourceValidationPolicy = {
  name: "model-deployment-scale-cap",
  description:
    "Every model deployment caps its replicas (maxReplicas, default at most 10) and its accelerators per " +
    "replica (default at most 2): a runaway autoscaler or a typo must not buy a fleet of GPUs.",
  enforcementLevel: "mandatory",
  configSchema: scaleSettings.schema,
  validateResource: (args, reportViolation) => {
    const deployment = modelDeploymentProps(args);
    if (!deployment) return args.notApplicable("not a model deployment");
    const caps = scaleSettings.read(args);
    const { maxReplicas, acceleratorCount } = deployment;
    if (typeof maxReplicas !== "number" || maxReplicas > caps.maxReplicas) {
      reportViolation(
        `${describe(args)} scales to ${maxReplicas ?? "an unbounded number of"} replicas: set maxReplicas to ` +
          `at most ${caps.maxReplicas}.`,
      );
    }
    if (typeof acceleratorCount === "number" && acceleratorCount > caps.maxAcceleratorCount) {
      reportViolation(
        `${describe(args)} attaches ${acceleratorCount} ${deployment.acceleratorType} per replica: set ` +
          `acceleratorCount to at most ${caps.maxAcceleratorCount}.`,
      );
    }
  },
};
