/**
 * The platform's model behind a cuttable TCP proxy, at the address the platform's endpoint type
 * gives the worker (chaos scenarios that cut the model, the failover drill's region A).
 *
 * A PSC name resolves only in the worker (its local-only address stands in for the private zone):
 * the proxy dials that address, and the worker still calls the name, so TLS checks it as in the cloud.
 */
import type { LocalPlatform, LocalWorkerSettings } from "../../local";
import { vertexSettingsFor } from "../../local";
import { startTcpProxy } from "./tcpProxy";
import type { TcpProxy } from "./tcpProxy";

export interface ModelBehindProxy {
  proxy: TcpProxy;
  /** Worker settings that route its predict calls through the proxy. */
  settings: LocalWorkerSettings;
}

export async function startModelProxy(
  platform: Pick<LocalPlatform, "connectivity" | "predictProtocol" | "model">,
): Promise<ModelBehindProxy> {
  const direct = vertexSettingsFor(platform.connectivity, platform.predictProtocol, platform.model);
  // http: a URL to re-port; grpc: `host:port`, the PSC name or the stand-in's address.
  const url = new URL(direct.vertexPredictUrl ?? `grpc://${direct.vertexApiEndpoint!}`);
  const proxy = await startTcpProxy({
    targetHost: direct.localOnlyPscAddress ?? url.hostname,
    targetPort: Number(url.port),
  });
  const viaProxy = `${url.hostname}:${proxy.port}`;
  if (direct.vertexPredictUrl === undefined) return { proxy, settings: { vertexApiEndpoint: viaProxy } };
  url.port = String(proxy.port);
  return { proxy, settings: { vertexPredictUrl: url.toString() } };
}
