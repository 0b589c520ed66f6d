/**
 * Dynamic provider that uploads a custom model to Vertex AI and deploys it on GPUs to
 * an endpoint (no `@pulumi/gcp` resource can). Replica and autoscaling changes are made
 * in place (MutateDeployedModel); anything else is a replacement, created before the
 * old deployment is deleted: the new model is deployed with 100% of the traffic, then
 * the old one is undeployed, so the endpoint always has a model serving.
 */
import type * as pulumi from "@pulumi/pulumi";
import { NOT_FOUND, VertexOperationError, grpcCode, runOperation } from "./operations";
import {
  DEFAULT_OPERATION_TIMEOUT_SECONDS,
  SCALING_KEYS,
  deployModelRequest,
  diffInputs,
  switchMaxReplicasOf,
  mutateScalingRequest,
  trafficSplitWithout,
  uploadModelRequest,
  validateInputs,
  type ModelDeploymentInputs,
  type ModelDeploymentOutputs,
} from "./spec";
import { peeringSecondModelProblem, readDeployment } from "./readDeployment";
import { servingAddress, type ServingAddress } from "./servingAddress";
import { createVertexApi, type VertexApi, type VertexApiFactory } from "./vertexApi";

type Provider = pulumi.dynamic.ResourceProvider<ModelDeploymentInputs, ModelDeploymentOutputs>;

function timeoutMs(i: ModelDeploymentInputs): number {
  return (i.operationTimeoutSeconds ?? DEFAULT_OPERATION_TIMEOUT_SECONDS) * 1000;
}

/** Pulumi's id of a deployment: the DeployedModel's path under its endpoint. */
export function deploymentId(endpoint: string, deployedModelId: string): string {
  return `${endpoint}/deployedModels/${deployedModelId}`;
}

export class ModelDeploymentProvider implements Provider {
  /**
   * @param api Creates the Vertex API for a region. Called inside each method, never
   *   held: the provider is serialised into the Pulumi state with its closure.
   */
  constructor(private readonly api: VertexApiFactory = createVertexApi) {}

  async check(olds: ModelDeploymentInputs, news: ModelDeploymentInputs) {
    const problems = validateInputs(news as unknown as Record<string, unknown>);
    // At preview time: a replacement on the same peering endpoint would be its second model.
    const peering = peeringSecondModelProblem(olds, news);
    if (peering) problems.push(peering);
    return {
      inputs: {
        ...news,
        operationTimeoutSeconds: news.operationTimeoutSeconds ?? DEFAULT_OPERATION_TIMEOUT_SECONDS,
      },
      failures: problems,
    };
  }

  async diff(_id: string, olds: ModelDeploymentOutputs, news: ModelDeploymentInputs) {
    const { changed, replaces } = diffInputs(olds, news);
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
  }

  async create(inputs: ModelDeploymentInputs) {
    return this.withApi(inputs.location, async (api) => {
      // Beside an old deployment (a deploy-first model change) the new one starts capped,
      // so both fit the GPU quota; its recorded maxReplicas is the cap, so the next
      // `pulumi up` raises it in place (MutateDeployedModel) once the old one is gone.
      const beside = await this.otherDeployedModels(api, inputs.endpoint, inputs);
      const toDeploy: ModelDeploymentInputs =
        beside > 0 ? { ...inputs, maxReplicas: switchMaxReplicasOf(inputs) } : inputs;
      const where = `projects/${inputs.project}/locations/${inputs.location}`;
      const uploaded = await runOperation(
        `Vertex AI UploadModel of "${inputs.displayName}" (${inputs.artifactUri}) to ${where}`,
        () => api.uploadModel(uploadModelRequest(inputs)),
        timeoutMs(inputs),
      );
      const model = uploaded.model;
      if (!model) throw new VertexOperationError(`Vertex AI UploadModel to ${where} returned no model name`);

      let deployedModelId: string;
      let address: ServingAddress;
      try {
        const deployed = await runOperation(
          `Vertex AI DeployModel of ${model} to ${inputs.endpoint} on ${inputs.machineType} with ` +
            `${inputs.acceleratorCount}x ${inputs.acceleratorType}`,
          () => api.deployModel(deployModelRequest(toDeploy, model)),
          timeoutMs(inputs),
        );
        const id = deployed.deployedModel?.id;
        if (!id)
          throw new VertexOperationError(
            `Vertex AI DeployModel to ${inputs.endpoint} returned no deployed model id`,
          );
        deployedModelId = id;
        address = await servingAddress(
          api,
          inputs.connectivity,
          inputs.endpoint,
          id,
          deployed.deployedModel ?? undefined,
          {
            timeoutMs: timeoutMs(inputs),
          },
        );
      } catch (err) {
        // The upload succeeded but nothing will record it: remove it rather than leak a model.
        throw await this.withCleanup(err, () => this.deleteModel(api, model, inputs));
      }
      const outs: ModelDeploymentOutputs = {
        ...inputs,
        maxReplicas: toDeploy.maxReplicas,
        model,
        modelVersionId: uploaded.modelVersionId ?? "",
        deployedModelId,
        ...address,
      };
      return { id: deploymentId(inputs.endpoint, deployedModelId), outs };
    });
  }

  async update(_id: string, olds: ModelDeploymentOutputs, news: ModelDeploymentInputs) {
    return this.withApi(news.location, async (api) => {
      const { changed } = diffInputs(olds, news);
      if (changed.some((k) => (SCALING_KEYS as readonly string[]).includes(k))) {
        await runOperation(
          `Vertex AI MutateDeployedModel of ${olds.deployedModelId} on ${news.endpoint} ` +
            `(replicas ${news.minReplicas}-${news.maxReplicas}, duty cycle target ${news.dutyCycleTarget}%)`,
          () => api.mutateDeployedModel(mutateScalingRequest(news, olds.deployedModelId)),
          timeoutMs(news),
        );
      }
      if (changed.includes("labels")) {
        try {
          await api.updateModelLabels(olds.model, news.labels ?? {});
        } catch (err) {
          throw new VertexOperationError(
            `Vertex AI UpdateModel (labels) of ${olds.model} failed: ${(err as Error).message}`,
            grpcCode(err),
          );
        }
      }
      const outs: ModelDeploymentOutputs = {
        ...news,
        model: olds.model,
        modelVersionId: olds.modelVersionId,
        deployedModelId: olds.deployedModelId,
        predictHttpUri: olds.predictHttpUri,
        pscAddress: olds.pscAddress,
      };
      return { outs };
    });
  }

  /**
   * `pulumi refresh`: the deployment as Vertex has it now. A model undeployed outside
   * Pulumi reads as gone (blank id, so the next `up` deploys it again); replicas or the
   * duty-cycle target changed outside Pulumi read back as they are, so the next `up`
   * sets them to the config again.
   */
  async read(id: string, props?: ModelDeploymentOutputs) {
    if (!props) return { id, props };
    return this.withApi(props.location, async (api) => {
      const live = await readDeployment(api, props);
      return live === undefined ? { id: "" } : { id, props: live };
    });
  }

  async delete(_id: string, olds: ModelDeploymentOutputs) {
    await this.withApi(olds.location, async (api) => {
      await this.undeploy(api, olds);
      await this.deleteModel(api, olds.model, olds);
    });
  }

  /**
   * Models already deployed on the endpoint, read only when a cap is set (otherwise the
   * count changes nothing). A replacement's old model is still there when this runs.
   */
  private async otherDeployedModels(
    api: VertexApi,
    endpoint: string,
    inputs: Pick<ModelDeploymentInputs, "switchMaxReplicas">,
  ): Promise<number> {
    if (inputs.switchMaxReplicas === undefined) return 0;
    try {
      return (await api.getEndpoint(endpoint)).deployedModels?.length ?? 0;
    } catch (err) {
      throw new VertexOperationError(
        `Vertex AI GetEndpoint ${endpoint} failed: ${(err as Error).message}`,
        grpcCode(err),
      );
    }
  }

  /** Undeploys, handing this model's traffic share to the models that stay. */
  private async undeploy(api: VertexApi, olds: ModelDeploymentOutputs): Promise<void> {
    let split: Record<string, number>;
    try {
      const endpoint = await api.getEndpoint(olds.endpoint);
      split = trafficSplitWithout(endpoint.trafficSplit ?? {}, olds.deployedModelId);
    } catch (err) {
      if (grpcCode(err) === NOT_FOUND) return; // endpoint deleted: nothing is deployed on it
      throw new VertexOperationError(
        `Vertex AI GetEndpoint ${olds.endpoint} failed: ${(err as Error).message}`,
        grpcCode(err),
      );
    }
    try {
      await runOperation(
        `Vertex AI UndeployModel of ${olds.deployedModelId} from ${olds.endpoint}`,
        () =>
          api.undeployModel({
            endpoint: olds.endpoint,
            deployedModelId: olds.deployedModelId,
            trafficSplit: split,
          }),
        timeoutMs(olds),
      );
    } catch (err) {
      if (grpcCode(err) !== NOT_FOUND) throw err;
    }
  }

  private async deleteModel(api: VertexApi, model: string, i: ModelDeploymentInputs): Promise<void> {
    try {
      await runOperation(
        `Vertex AI DeleteModel ${model}`,
        () => api.deleteModel({ name: model }),
        timeoutMs(i),
      );
    } catch (err) {
      if (grpcCode(err) !== NOT_FOUND) throw err;
    }
  }

  /** Runs a clean-up after a failure; the original error wins, with the clean-up's failure appended. */
  private async withCleanup(err: unknown, cleanup: () => Promise<void>): Promise<unknown> {
    try {
      await cleanup();
      return err;
    } catch (cleanupErr) {
      const message = `${(err as Error).message}; clean-up also failed, remove the model by hand: ${(cleanupErr as Error).message}`;
      return new VertexOperationError(message, grpcCode(err));
    }
  }

  private async withApi<T>(location: string, use: (api: VertexApi) => Promise<T>): Promise<T> {
    const api = this.api(location);
    try {
      return await use(api);
    } finally {
      await api.close();
    }
  }
}
