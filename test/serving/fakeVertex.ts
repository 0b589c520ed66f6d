/**
 * An in-memory stand-in for the slice of Vertex AI the model-deployment provider calls
 * (Vertex has no emulator). It keeps endpoints, models and traffic splits like the
 * service does, records every call, and lets a test script failures and hangs.
 */
import type { PendingOperation, VertexApi } from "../../components/serving/modelDeployment";

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
  readonly splits = new Map<string, Record<string, number>>();
  /** Per-method behaviour of the next operations (default "ok"). */
  readonly script: Record<string, Script> = {};
  opened = 0;
  closed = 0;
  private seq = 0;

  constructor(endpoints: string[]) {
    for (const e of endpoints) {
      this.deployed.set(e, new Map());
      this.splits.set(e, {});
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
          const models = this.endpointState(req.endpoint ?? "");
          const id = `d${++this.seq}`;
          models.set(id, req.deployedModel?.model ?? "");
          const split = Object.fromEntries(
            Object.entries(req.trafficSplit ?? {}).map(([k, v]) => [k === "0" ? id : k, v]),
          );
          this.splits.set(req.endpoint ?? "", split);
          return { deployedModel: { id } };
        }),
      mutateDeployedModel: (req) => this.op("mutateDeployedModel", req, () => ({})),
      undeployModel: (req) =>
        this.op("undeployModel", req, () => {
          const models = this.endpointState(req.endpoint ?? "");
          const id = req.deployedModelId ?? "";
          if (!models.has(id)) throw Object.assign(new Error(`DeployedModel ${id} not found`), { code: 5 });
          const split = req.trafficSplit ?? this.splits.get(req.endpoint ?? "") ?? {};
          if ((split[id] ?? 0) > 0) throw Object.assign(new Error(`${id} still has traffic`), { code: 9 });
          models.delete(id);
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
        this.endpointState(name);
        return { name, trafficSplit: { ...(this.splits.get(name) ?? {}) } };
      },
      close: async () => {
        this.closed += 1;
      },
    };
  }
}
