/**
 * The stand-in's HTTP front: JSON predict at the paths Vertex serves for the endpoint
 * type (see connectivity.ts), errors as Google's JSON error body with the HTTP status
 * Google maps each gRPC code to (https://cloud.google.com/apis/design/errors#http_mapping).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { status } from "@grpc/grpc-js";
import type { StandInConnectivity } from "./connectivity";
import type { JsonValue } from "./protobufValue";

/** What the protocol-neutral predict handler answers. */
export type PredictOutcome =
  | { kind: "ok"; predictions: JsonValue[]; deployedModelId: string; modelDisplayName: string }
  | { kind: "error"; code: status; message: string }
  /** Never answered: the client's deadline ends the call. */
  | { kind: "hang" };

export type PredictHandler = (
  endpointId: string,
  instances: JsonValue[],
  parameters: JsonValue | undefined,
  isCancelled: () => boolean,
) => Promise<PredictOutcome>;

const HTTP_STATUS: Partial<Record<status, number>> = {
  [status.INVALID_ARGUMENT]: 400,
  [status.FAILED_PRECONDITION]: 400,
  [status.OUT_OF_RANGE]: 400,
  [status.UNAUTHENTICATED]: 401,
  [status.PERMISSION_DENIED]: 403,
  [status.NOT_FOUND]: 404,
  [status.ABORTED]: 409,
  [status.ALREADY_EXISTS]: 409,
  [status.RESOURCE_EXHAUSTED]: 429,
  [status.CANCELLED]: 499,
  [status.UNIMPLEMENTED]: 501,
  [status.UNAVAILABLE]: 503,
  [status.DEADLINE_EXCEEDED]: 504,
};

export function httpStatusFor(code: status): number {
  return HTTP_STATUS[code] ?? 500;
}

const PEERING_PATH = /^\/v1\/models\/([^/:]+):predict$/;
const ENDPOINT_PATH = /^\/v1\/projects\/[^/]+\/locations\/[^/]+\/endpoints\/([^/:]+):predict$/;

export interface HttpFrontOptions {
  connectivity: StandInConnectivity;
  /** The deployed model id a peering endpoint's predictHttpUri names. */
  deployedModelId: string;
  /** The endpoint id a peering predictHttpUri stands for. */
  endpointId: string;
  maxRequestBytes: number;
  handle: PredictHandler;
  /** Counts a call refused before the model saw it (a path this endpoint type does not serve). */
  onRefused: () => void;
  /** Serve HTTPS with this key and certificate (the PSC front); plain HTTP otherwise. */
  tls?: { key: string; cert: string };
  /** The PSC endpoint's host name (with `tls`): what predict URLs name instead of the IP. */
  pscHost?: (location: string) => string;
}

export interface HttpFront {
  port: number;
  /** Where predictions are taken over HTTP for this endpoint type. */
  predictUrl(project: string, location: string): string;
  stop(): Promise<void>;
}

function sendError(res: ServerResponse, code: status, message: string): void {
  const httpStatus = httpStatusFor(code);
  const body = JSON.stringify({ error: { code: httpStatus, message, status: status[code] } });
  res.writeHead(httpStatus, { "content-type": "application/json" }).end(body);
}

/** The endpoint id a request path addresses, or an error naming the paths this type serves. */
function route(path: string, options: HttpFrontOptions): { endpointId: string } | { error: string } {
  if (options.connectivity === "peering") {
    const match = PEERING_PATH.exec(path);
    if (match === null) {
      return {
        error:
          `a private (VPC peering) endpoint serves predictions only at its deployed model's predictHttpUri ` +
          `(/v1/models/${options.deployedModelId}:predict), not at ${path}`,
      };
    }
    if (match[1] !== options.deployedModelId) {
      return { error: `DeployedModel ${match[1]} not found on this endpoint.` };
    }
    return { endpointId: options.endpointId };
  }
  const match = ENDPOINT_PATH.exec(path);
  if (match === null) {
    return { error: `no ${options.connectivity} endpoint predict route at ${path}` };
  }
  return { endpointId: match[1] as string };
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? "too large" : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export async function startHttpFront(options: HttpFrontOptions): Promise<HttpFront> {
  const open = new Set<ServerResponse>();
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    open.add(res);
    res.on("close", () => open.delete(res));
    void serve(req, res).catch((error: unknown) =>
      sendError(res, status.INTERNAL, `local model failed: ${String(error)}`),
    );
  };
  const server: Server =
    options.tls === undefined ? createServer(onRequest) : createTlsServer(options.tls, onRequest);

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] as string;
    if (req.method !== "POST") return sendError(res, status.NOT_FOUND, `${req.method} ${path} is not served`);
    const where = route(path, options);
    if ("error" in where) {
      options.onRefused();
      return sendError(res, status.NOT_FOUND, where.error);
    }
    const body = await readBody(req, options.maxRequestBytes);
    if (body === "too large") {
      return sendError(
        res,
        status.INVALID_ARGUMENT,
        `request is larger than the ${options.maxRequestBytes}-byte limit of a ${options.connectivity} endpoint`,
      );
    }
    let parsed: { instances?: unknown; parameters?: unknown };
    try {
      parsed = JSON.parse(body.toString("utf8")) as { instances?: unknown; parameters?: unknown };
    } catch {
      return sendError(res, status.INVALID_ARGUMENT, "request body is not JSON");
    }
    if (!Array.isArray(parsed.instances)) {
      return sendError(res, status.INVALID_ARGUMENT, 'request body must be {"instances": [...]}');
    }
    let closed = false;
    res.on("close", () => (closed = true));
    const outcome = await options.handle(
      where.endpointId,
      parsed.instances as JsonValue[],
      parsed.parameters as JsonValue | undefined,
      () => closed,
    );
    if (outcome.kind === "hang" || closed) return;
    if (outcome.kind === "error") return sendError(res, outcome.code, outcome.message);
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ predictions: outcome.predictions, deployedModelId: outcome.deployedModelId }));
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
  return {
    port,
    predictUrl: (project, location) => {
      const path = `/v1/projects/${project}/locations/${location}/endpoints/${options.endpointId}:predict`;
      if (options.connectivity === "peering")
        return `http://127.0.0.1:${port}/v1/models/${options.deployedModelId}:predict`;
      // PSC: by the endpoint's name, which only the certificate covers (the worker resolves it locally).
      if (options.tls !== undefined && options.pscHost !== undefined)
        return `https://${options.pscHost(location)}:${port}${path}`;
      return `http://127.0.0.1:${port}${path}`;
    },
    stop: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
