/**
 * An in-memory stand-in for the slice of Vertex AI the model-deployment provider calls
 * (Vertex has no emulator). It keeps endpoints, models and traffic splits like the
 * service does, records every call, and lets a test script failures and hangs.
 *
 * It enforces the endpoint type's rules as the API does:
 * - a private (VPC peering) endpoint holds one model and splits no traffic ("Only support
 *   one model per private endpoint", "Private endpoints don't support traffic splitting",
 *   https://cloud.google.com/vertex-ai/docs/predictions/using-private-endpoints), and
 *   reports the deployed model's `privateEndpoints.predictHttpUri` (aiplatform v1 endpoint.proto);
 * - a PSC endpoint with PSC automation reports the forwarding rule's address in
 *   `privateServiceConnectConfig.pscAutomationConfigs[].ipAddress` once a model is deployed
 *   (service_networking.proto PSCAutomationConfig).
 */
import type { protos } from "@google-cloud/aiplatform";
import type { PendingOperation, VertexApi } from "../../../../components/serving/modelDeployment";

type IDeployedModel = protos.google.cloud.aiplatform.v1.IDeployedModel;

/** The endpoint types the fake plays. */
export type FakeEndpointType = "public" | "psc" | "peering";

/** gRPC codes the API answers with. */
const FAILED_PRECONDITION = 9;
const INVALID_ARGUMENT = 3;

export interface Call {
  method: string;
  request: unknown;
}

type Script = "ok" | { fail: { code: number; message: string } } | "hang";

export class FakeVertex {
  readonly calls: Call[] = [];
  readonly models = new Map<string, { labels: Record<string, string> }>();
  /** endpoint name -> deployed model id -> model name */
  readonly deployed = new Map<string, Map<string, string>>();
  /** endpoint name -> deployed model id -> the DeployedModel as the API returns it */
  readonly details = new Map<string, Map<string, IDeployedModel>>();
  readonly splits = new Map<string, Record<string, number>>();
  /** Per-method behaviour of the next operations (default "ok"). */
  readonly script: Record<string, Script> = {};
  opened = 0;
  closed = 0;
  private seq = 0;

  constructor(
    endpoints: string[],
    /** Endpoint name -> type; unlisted endpoints are public. */
    readonly types: Record<string, FakeEndpointType> = {},
  ) {
    for (const e of endpoints) this.addEndpoint(e, types[e] ?? "public");
  }

  /** Creates an endpoint (what `gcp.vertex.AiEndpoint` does before a deployment). */
  addEndpoint(endpoint: string, type: FakeEndpointType = "public"): void {
    this.deployed.set(endpoint, new Map());
    this.details.set(endpoint, new Map());
    this.splits.set(endpoint, {});
    this.types[endpoint] = type;
  }

  /** Deletes an endpoint; the API refuses while a model is deployed on it. */
  deleteEndpoint(endpoint: string): void {
    if ((this.deployed.get(endpoint)?.size ?? 0) > 0) {
      throw Object.assign(new Error(`Endpoint ${endpoint} still has deployed models`), {
        code: FAILED_PRECONDITION,
      });
    }
    this.deployed.delete(endpoint);
    this.details.delete(endpoint);
    this.splits.delete(endpoint);
  }

  /** The PSC automation's address of an endpoint (stable per endpoint). */
  pscAddress(endpoint: string): string {
    return `10.10.0.${(endpoint.length % 200) + 10}`;
  }

  /** Someone undeploys a model outside Pulumi (console, gcloud). */
  undeployOutside(endpoint: string, deployedModelId: string): void {
    this.deployed.get(endpoint)?.delete(deployedModelId);
    this.details.get(endpoint)?.delete(deployedModelId);
    const { [deployedModelId]: _gone, ...rest } = this.splits.get(endpoint) ?? {};
    this.splits.set(endpoint, rest);
  }

  /** Someone rescales a deployed model outside Pulumi. */
  rescaleOutside(endpoint: string, deployedModelId: string, min: number, max: number): void {
    const model = this.details.get(endpoint)?.get(deployedModelId);
    if (model?.dedicatedResources) {
      model.dedicatedResources = { ...model.dedicatedResources, minReplicaCount: min, maxReplicaCount: max };
    }
  }

  /** The factory the provider gets; checks the region the client is opened for. */
  readonly factory = (location: string): VertexApi => {
    this.opened += 1;
    return this.api(location);
  };

  /** Deployed models on an endpoint that receive traffic. */
  serving(endpoint: string): string[] {
    return Object.entries(this.splits.get(endpoint) ?? {})
      .filter(([, pct]) => pct > 0)
      .map(([id]) => id);
  }

  private op<T>(method: string, request: unknown, apply: () => T): Promise<PendingOperation<T>> {
    this.calls.push({ method, request });
    const name = `projects/p/locations/us-central1/operations/${method}-${++this.seq}`;
    const script = this.script[method] ?? "ok";
    const result = async (): Promise<T> => {
      if (script === "hang") return new Promise<T>(() => undefined);
      if (script !== "ok") throw Object.assign(new Error(script.fail.message), script.fail);
      return apply();
    };
    return Promise.resolve({ name, result });
  }

  private endpointState(endpoint: string) {
    const models = this.deployed.get(endpoint);
    if (!models) throw Object.assign(new Error(`Endpoint ${endpoint} not found`), { code: 5 });
    return models;
  }

  private api(location: string): VertexApi {
    return {
      uploadModel: (req) =>
        this.op("uploadModel", req, () => {
          const name = `projects/p/locations/${location}/models/m${++this.seq}`;
          this.models.set(name, { labels: { ...(req.model?.labels ?? {}) } });
          return { model: name, modelVersionId: "1" };
        }),
      deployModel: (req) =>
        this.op("deployModel", req, () => {
          const endpoint = req.endpoint ?? "";
          const models = this.endpointState(endpoint);
          const id = `d${++this.seq}`;
          const split = Object.fromEntries(
            Object.entries(req.trafficSplit ?? {}).map(([k, v]) => [k === "0" ? id : k, v]),
          );
          if (this.types[endpoint] === "peering") {
            if (models.size > 0) {
              throw Object.assign(
                new Error(
                  `Endpoint ${endpoint} is a private endpoint and already has a deployed model; ` +
                    "a private endpoint supports only one model",
                ),
                { code: FAILED_PRECONDITION },
              );
            }
            if (Object.entries(split).some(([k, v]) => k !== id && v > 0)) {
              throw Object.assign(new Error("Private endpoints do not support traffic splitting"), {
                code: INVALID_ARGUMENT,
              });
            }
          }
          models.set(id, req.deployedModel?.model ?? "");
          const detail: IDeployedModel = {
            id,
            model: req.deployedModel?.model ?? "",
            dedicatedResources: req.deployedModel?.dedicatedResources ?? null,
            ...(this.types[endpoint] === "peering"
              ? {
                  privateEndpoints: {
                    predictHttpUri: `http://${endpoint.split("/").pop()}.aiplatform.googleapis.com/v1/models/${id}:predict`,
                  },
                }
              : {}),
          };
          this.details.get(endpoint)?.set(id, detail);
          this.splits.set(endpoint, split);
          return { deployedModel: { ...detail } };
        }),
      mutateDeployedModel: (req) =>
        this.op("mutateDeployedModel", req, () => {
          const model = this.details.get(req.endpoint ?? "")?.get(req.deployedModel?.id ?? "");
          if (!model) throw Object.assign(new Error("DeployedModel not found"), { code: 5 });
          model.dedicatedResources = req.deployedModel?.dedicatedResources ?? model.dedicatedResources;
          return {};
        }),
      undeployModel: (req) =>
        this.op("undeployModel", req, () => {
          const models = this.endpointState(req.endpoint ?? "");
          const id = req.deployedModelId ?? "";
          if (!models.has(id)) throw Object.assign(new Error(`DeployedModel ${id} not found`), { code: 5 });
          const split = req.trafficSplit ?? this.splits.get(req.endpoint ?? "") ?? {};
          if ((split[id] ?? 0) > 0) throw Object.assign(new Error(`${id} still has traffic`), { code: 9 });
          models.delete(id);
          this.details.get(req.endpoint ?? "")?.delete(id);
          this.splits.set(req.endpoint ?? "", split);
          return {};
        }),
      deleteModel: (req) =>
        this.op("deleteModel", req, () => {
          if (!this.models.delete(req.name ?? "")) {
            throw Object.assign(new Error(`Model ${req.name} not found`), { code: 5 });
          }
          return {};
        }),
      updateModelLabels: async (model, labels) => {
        this.calls.push({ method: "updateModelLabels", request: { model, labels } });
        const m = this.models.get(model);
        if (m) m.labels = { ...labels };
      },
      getEndpoint: async (name) => {
        this.calls.push({ method: "getEndpoint", request: { name } });
        const models = this.endpointState(name);
        const deployedModels = [...(this.details.get(name)?.values() ?? [])].map((m) => ({ ...m }));
        const type = this.types[name];
        return {
          name,
          trafficSplit: { ...(this.splits.get(name) ?? {}) },
          deployedModels,
          ...(type === "psc"
            ? {
                privateServiceConnectConfig: {
                  enablePrivateServiceConnect: true,
                  // PSC automation sets the address up once a model is deployed.
                  pscAutomationConfigs: [
                    models.size > 0
                      ? {
                          network: "projects/acme/global/networks/vpc",
                          ipAddress: this.pscAddress(name),
                          state: "PSC_AUTOMATION_STATE_SUCCESSFUL",
                        }
                      : {
                          network: "projects/acme/global/networks/vpc",
                          state: "PSC_AUTOMATION_STATE_UNSPECIFIED",
                        },
                  ],
                },
              }
            : {}),
        };
      },
      close: async () => {
        this.closed += 1;
      },
    };
  }
}
