/**
 * The slice of the Vertex AI API the model-deployment provider uses, behind an
 * interface so the provider's methods run against a fake in tests. The real
 * implementation creates its clients on demand (the provider is serialised into
 * the state, so it must never hold a live client).
 */
import * as aiplatform from "@google-cloud/aiplatform";
import type { protos } from "@google-cloud/aiplatform";

export type IEndpoint = protos.google.cloud.aiplatform.v1.IEndpoint;

/** A started long-running operation. */
export interface PendingOperation<T> {
  /** Operation resource name, for messages and `gcloud ai operations describe`. */
  name: string;
  /** Resolves with the operation's response, or rejects with its error. */
  result(): Promise<T>;
}

export interface VertexApi {
  uploadModel(
    req: protos.google.cloud.aiplatform.v1.IUploadModelRequest,
  ): Promise<PendingOperation<protos.google.cloud.aiplatform.v1.IUploadModelResponse>>;
  deployModel(
    req: protos.google.cloud.aiplatform.v1.IDeployModelRequest,
  ): Promise<PendingOperation<protos.google.cloud.aiplatform.v1.IDeployModelResponse>>;
  mutateDeployedModel(
    req: protos.google.cloud.aiplatform.v1.IMutateDeployedModelRequest,
  ): Promise<PendingOperation<protos.google.cloud.aiplatform.v1.IMutateDeployedModelResponse>>;
  undeployModel(
    req: protos.google.cloud.aiplatform.v1.IUndeployModelRequest,
  ): Promise<PendingOperation<unknown>>;
  deleteModel(req: protos.google.cloud.aiplatform.v1.IDeleteModelRequest): Promise<PendingOperation<unknown>>;
  updateModelLabels(model: string, labels: Record<string, string>): Promise<void>;
  getEndpoint(name: string): Promise<IEndpoint>;
  /** Releases the underlying channels. */
  close(): Promise<void>;
}

/** Creates the API for one region; the provider calls it inside each method. */
export type VertexApiFactory = (location: string) => VertexApi;

interface GaxOperation<T> {
  name?: string | null;
  promise(): Promise<[T, ...unknown[]]>;
}

function pending<T>(op: GaxOperation<T>): PendingOperation<T> {
  return {
    name: op.name ?? "(unnamed operation)",
    result: async () => (await op.promise())[0],
  };
}

/** The real API over `@google-cloud/aiplatform` v1, talking to `<location>-aiplatform.googleapis.com`. */
export function createVertexApi(location: string): VertexApi {
  const opts = { apiEndpoint: `${location}-aiplatform.googleapis.com` };
  const models = new aiplatform.v1.ModelServiceClient(opts);
  const endpoints = new aiplatform.v1.EndpointServiceClient(opts);
  return {
    uploadModel: async (req) => pending((await models.uploadModel(req))[0]),
    deployModel: async (req) => pending((await endpoints.deployModel(req))[0]),
    mutateDeployedModel: async (req) => pending((await endpoints.mutateDeployedModel(req))[0]),
    undeployModel: async (req) => pending((await endpoints.undeployModel(req))[0]),
    deleteModel: async (req) => pending((await models.deleteModel(req))[0]),
    updateModelLabels: async (model, labels) => {
      await models.updateModel({ model: { name: model, labels }, updateMask: { paths: ["labels"] } });
    },
    getEndpoint: async (name) => (await endpoints.getEndpoint({ name }))[0],
    close: async () => {
      await Promise.all([models.close(), endpoints.close()]);
    },
  };
}
