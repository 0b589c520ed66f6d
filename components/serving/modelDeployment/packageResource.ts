/**
 * `ModelDeployment` as a custom resource of this package's own provider plugin
 * (`streaming-inference:index:ModelDeployment`, served by components/plugin.ts). Used when
 * the components run inside the plugin (another Pulumi language constructs them): a dynamic
 * provider cannot load there (pulumi/pulumi#5455). A TypeScript program that imports the
 * package keeps the dynamic resource (`ModelDeployment`), so its existing stacks see no change.
 */
import * as pulumi from "@pulumi/pulumi";
import { ModelDeployment, type ModelDeploymentArgs } from "./modelDeployment";
import type { VertexApiFactory } from "./vertexApi";
import { PACKAGE_MODEL_DEPLOYMENT_TYPE } from "../../../contract/modelDeployment";

/** The resource's type token in the package schema (a contract with the policy pack). */
export { PACKAGE_MODEL_DEPLOYMENT_TYPE };

/** The outputs the components read from a model deployment, whichever provider serves it. */
export type DeployedModel = Pick<
  ModelDeployment,
  "model" | "modelVersionId" | "deployedModelId" | "endpoint" | "predictHttpUri" | "pscAddress"
>;

export class PackageModelDeployment extends pulumi.CustomResource implements DeployedModel {
  declare public readonly model: pulumi.Output<string>;
  declare public readonly modelVersionId: pulumi.Output<string>;
  declare public readonly deployedModelId: pulumi.Output<string>;
  declare public readonly endpoint: pulumi.Output<string>;
  declare public readonly predictHttpUri: pulumi.Output<string | undefined>;
  declare public readonly pscAddress: pulumi.Output<string | undefined>;

  constructor(name: string, args: ModelDeploymentArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      PACKAGE_MODEL_DEPLOYMENT_TYPE,
      name,
      {
        ...args,
        model: undefined,
        modelVersionId: undefined,
        deployedModelId: undefined,
        predictHttpUri: undefined,
        pscAddress: undefined,
      },
      // As the dynamic resource: create-before-delete keeps the endpoint serving through a replacement.
      // The plugin's own version: a registration made inside Construct gets no package defaults, and
      // without a version the engine may look for another plugin (pulumi-terraform-module#56,
      // pulumi-go-provider#586); this asks for the plugin that is serving the component.
      { ...opts, version: opts?.version ?? pluginVersion, deleteBeforeReplace: false },
    );
  }
}

let servedByPlugin = false;
let pluginVersion: string | undefined;

/** Called once by the plugin host: model deployments are then this package's custom resources, served by this version. */
export function serveModelDeploymentsFromPlugin(version?: string): void {
  servedByPlugin = true;
  pluginVersion = version;
}

/** A model deployment: the package's custom resource inside the plugin, else the dynamic resource. */
export function newModelDeployment(
  name: string,
  args: ModelDeploymentArgs,
  opts?: pulumi.CustomResourceOptions,
  /** For tests of the dynamic resource: the Vertex API its provider uses. */
  api?: VertexApiFactory,
): DeployedModel {
  return servedByPlugin
    ? new PackageModelDeployment(name, args, opts)
    : new ModelDeployment(name, args, opts, api);
}
