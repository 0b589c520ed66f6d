/**
 * The gRPC transport, loaded on its first call: the Vertex client and its protos cost ~95 MB
 * RSS and ~30 MB of heap (measured: `node --expose-gc`, rss after `new PredictionServiceClient`
 * 148 -> 244 MB, Node 24, 2026-12-02), which a worker on HTTP (the default) should not carry.
 */
import type { GrpcTransportOptions } from "./grpcTransport";
import type { JsonValue, PredictTransport } from "./transport";

export class LazyGrpcTransport implements PredictTransport {
  private loaded: Promise<PredictTransport> | undefined;

  constructor(private readonly options: GrpcTransportOptions) {}

  private transport(): Promise<PredictTransport> {
    this.loaded ??= import("./grpcTransport.js").then((m) => new m.GrpcPredictTransport(this.options));
    return this.loaded;
  }

  async predict(
    instances: readonly JsonValue[],
    parameters: JsonValue | undefined,
    timeoutMs: number,
  ): Promise<JsonValue[]> {
    return (await this.transport()).predict(instances, parameters, timeoutMs);
  }

  async close(): Promise<void> {
    // Never called: nothing was loaded, nothing to close.
    if (this.loaded !== undefined) await (await this.loaded).close();
  }
}
