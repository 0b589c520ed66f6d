/**
 * The package's provider plugin, as the engine talks to it (provider.proto's
 * ResourceProvider, served by `@pulumi/pulumi/provider` `main`): Construct of the components
 * (the SDK's ComponentProvider, which also infers their schema from the TypeScript source),
 * and Check/Diff/Create/Read/Update/Delete of the one custom resource,
 * `streaming-inference:index:ModelDeployment`, over the same logic the dynamic provider runs.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { ModelDeploymentProvider } from "../serving/modelDeployment/provider";
import type { ModelDeploymentInputs, ModelDeploymentOutputs } from "../serving/modelDeployment/spec";
import type { VertexApiFactory } from "../serving/modelDeployment/vertexApi";
import * as components from "./components";
import { PACKAGE_MODEL_DEPLOYMENT_TYPE } from "../serving/modelDeployment/packageResource";
import { modelDeploymentSchema } from "./modelDeploymentSchema";

/** The package name: the first part of every type token, and the plugin's name. */
export const PACKAGE_NAME = "streaming-inference";

export interface PackageProviderOptions {
  /** The package's root folder: package.json, tsconfig.json and the TypeScript sources. */
  dirname: string;
  /** The Vertex API the model deployments use; defaults to the real one (tests inject a fake). */
  vertexApi?: VertexApiFactory;
}

/** `urn:pulumi:<stack>::<project>::<parent types$>type::<name>` -> `type`. */
export function typeOfUrn(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? "";
}

/** protobuf Structs hold no `undefined`: drop such keys (an unset optional output). */
function definedOnly<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export class PackageProvider implements provider.Provider {
  readonly version: string;
  private readonly components: ComponentProvider;
  private readonly deployments: ModelDeploymentProvider;

  constructor(options: PackageProviderOptions) {
    this.components = new ComponentProvider({
      components: getPulumiComponents(components),
      name: PACKAGE_NAME,
      dirname: options.dirname,
    });
    this.version = this.components.version;
    this.deployments = new ModelDeploymentProvider(options.vertexApi);
  }

  /** The components' inferred schema, with the custom resource added. */
  async getSchema(): Promise<string> {
    const schema = JSON.parse(await this.components.getSchema()) as { resources?: Record<string, unknown> };
    schema.resources = { ...schema.resources, [PACKAGE_MODEL_DEPLOYMENT_TYPE]: modelDeploymentSchema() };
    return JSON.stringify(schema);
  }

  construct(
    name: string,
    type: string,
    inputs: pulumi.Inputs,
    options: pulumi.ComponentResourceOptions,
  ): Promise<provider.ConstructResult> {
    return this.components.construct(name, type, inputs, options);
  }

  async check(
    urn: string,
    olds: ModelDeploymentInputs,
    news: ModelDeploymentInputs,
  ): Promise<provider.CheckResult> {
    this.customResource(urn);
    const { inputs, failures } = await this.deployments.check(olds, news);
    return { inputs: definedOnly(inputs), failures };
  }

  async diff(id: string, urn: string, olds: ModelDeploymentOutputs, news: ModelDeploymentInputs) {
    this.customResource(urn);
    return this.deployments.diff(id, olds, news);
  }

  async create(urn: string, inputs: ModelDeploymentInputs): Promise<provider.CreateResult> {
    this.customResource(urn);
    const { id, outs } = await this.deployments.create(inputs);
    return { id, outs: definedOnly(outs) };
  }

  async read(id: string, urn: string, props?: ModelDeploymentOutputs): Promise<provider.ReadResult> {
    this.customResource(urn);
    const result = await this.deployments.read(id, props);
    // Gone (blank id): the engine drops it from the state; the response still needs a Struct.
    return { id: result.id, props: definedOnly(result.props ?? {}) };
  }

  async update(
    id: string,
    urn: string,
    olds: ModelDeploymentOutputs,
    news: ModelDeploymentInputs,
  ): Promise<provider.UpdateResult> {
    this.customResource(urn);
    const { outs } = await this.deployments.update(id, olds, news);
    return { outs: definedOnly(outs) };
  }

  async delete(id: string, urn: string, props: ModelDeploymentOutputs): Promise<void> {
    this.customResource(urn);
    await this.deployments.delete(id, props);
  }

  /** The plugin has one custom resource; anything else is a request it cannot serve. */
  private customResource(urn: string): void {
    const type = typeOfUrn(urn);
    if (type !== PACKAGE_MODEL_DEPLOYMENT_TYPE) {
      throw new Error(`${PACKAGE_NAME} has no custom resource of type ${type} (urn ${urn})`);
    }
  }
}
