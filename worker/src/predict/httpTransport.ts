/**
 * Predict over HTTP with JSON: what a VPC-peering private endpoint takes (only this, at
 * the deployed model's `privateEndpoints.predictHttpUri`, aiplatform v1 `endpoint.proto`),
 * and what a PSC endpoint takes besides gRPC. Keep-alive connections in a bounded pool,
 * a deadline per call, and failures carried as gRPC status codes so the worker retries
 * them exactly as it retries the gRPC path.
 */
import * as http from "node:http";
import * as https from "node:https";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { ModelAnswerError } from "../predictionSpec";
import { isTlsError, pscTlsOptions, tlsFailureMessage, type PscRoute } from "./pscTls";
import type { JsonValue, PredictTransport } from "./transport";

export interface HttpTransportOptions {
  /** The predict URL, e.g. `http://<endpoint-id>.aiplatform.googleapis.com/v1/models/<id>:predict`. */
  url: string;
  /** Connections kept open to the endpoint (the worker's maxInFlight). */
  maxSockets: number;
  /** Headers added to each call (the OAuth bearer token in a project); none for the local stand-in. */
  authorize?: () => Promise<Record<string, string>>;
  /**
   * TLS and name resolution for a PSC endpoint's name (`pscTls.ts`): applied to this
   * transport's own agent only. Unset: Node's default verification.
   */
  psc?: PscRoute;
}

/** A failed HTTP predict call, with the gRPC status it stands for. */
export class HttpPredictError extends Error {
  constructor(
    message: string,
    readonly code: GrpcStatus,
    readonly httpStatus?: number,
    cause?: unknown,
  ) {
    // The cause keeps the socket's error code, which tells an outage from a bad message (worker/src/outage.ts).
    super(message, cause === undefined ? undefined : { cause });
    this.name = "HttpPredictError";
  }
}

/**
 * HTTP status -> gRPC code, as Google APIs map them
 * (https://cloud.google.com/apis/design/errors#http_mapping).
 */
export function grpcCodeForHttpStatus(httpStatus: number): GrpcStatus {
  switch (httpStatus) {
    case 400:
      return GrpcStatus.INVALID_ARGUMENT;
    case 401:
      return GrpcStatus.UNAUTHENTICATED;
    case 403:
      return GrpcStatus.PERMISSION_DENIED;
    case 404:
      return GrpcStatus.NOT_FOUND;
    case 409:
      return GrpcStatus.ABORTED;
    case 413:
      return GrpcStatus.INVALID_ARGUMENT;
    case 429:
      return GrpcStatus.RESOURCE_EXHAUSTED;
    case 499:
      return GrpcStatus.CANCELLED;
    case 501:
      return GrpcStatus.UNIMPLEMENTED;
    case 502:
    case 503:
      return GrpcStatus.UNAVAILABLE;
    case 504:
      return GrpcStatus.DEADLINE_EXCEEDED;
    default:
      return httpStatus >= 500 ? GrpcStatus.INTERNAL : GrpcStatus.UNKNOWN;
  }
}

/** The code of a Google error body `{"error": {"status": "UNAVAILABLE", ...}}`, if it names one. */
function codeOfErrorBody(body: unknown): GrpcStatus | undefined {
  const name = (body as { error?: { status?: unknown } } | null)?.error?.status;
  if (typeof name !== "string") return undefined;
  const code = (GrpcStatus as unknown as Record<string, number | undefined>)[name];
  return code;
}

function messageOfErrorBody(body: unknown, fallback: string): string {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof message === "string" ? message : fallback;
}

/** Connection failures are the server being unreachable for now: retryable. */
const UNAVAILABLE_ERRNOS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);

/**
 * The predictions of a 2xx body, or a `ModelAnswerError` that says what came instead (a body
 * that is not JSON, `null`, an object without a `predictions` list): an answer the worker
 * cannot use for any instance, not "0 predictions".
 */
export function predictionsOf(parsed: unknown, text: string, host: string): JsonValue[] {
  const start = (body: string) => JSON.stringify(body.length > 100 ? `${body.slice(0, 100)}...` : body);
  if (parsed === undefined) {
    throw new ModelAnswerError(
      text.length === 0
        ? `HTTP 200 from ${host} with an empty body; expected {"predictions": [...]}`
        : `HTTP 200 from ${host} with a body that is not JSON: ${start(text)}`,
    );
  }
  const predictions = (parsed as { predictions?: unknown } | null)?.predictions;
  if (!Array.isArray(predictions)) {
    const what =
      parsed === null || typeof parsed !== "object" || Array.isArray(parsed)
        ? `the JSON ${start(text)}`
        : `an object without a "predictions" list (keys: ${Object.keys(parsed).slice(0, 10).join(", ") || "none"})`;
    throw new ModelAnswerError(`HTTP 200 from ${host} with ${what}; expected {"predictions": [...]}`);
  }
  return predictions as JsonValue[];
}

export class HttpPredictTransport implements PredictTransport {
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly client: typeof http | typeof https;

  constructor(private readonly options: HttpTransportOptions) {
    this.url = new URL(options.url);
    if (this.url.protocol !== "http:" && this.url.protocol !== "https:") {
      throw new Error(`the predict URL must be http:// or https://, got ${options.url}`);
    }
    const secure = this.url.protocol === "https:";
    this.client = secure ? https : http;
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.maxSockets,
      maxFreeSockets: options.maxSockets,
    };
    // The PSC options live on this agent alone: no other request in the process uses it.
    const psc = pscTlsOptions(this.url.hostname, options.psc ?? {});
    if (!secure && (psc.ca !== undefined || psc.rejectUnauthorized !== undefined)) {
      throw new Error(`SI_VERTEX_PSC_TLS needs an https:// predict URL, got ${options.url}`);
    }
    this.agent = secure
      ? new https.Agent({ ...agentOptions, ...psc })
      : new http.Agent({ ...agentOptions, lookup: psc.lookup });
  }

  async predict(
    instances: readonly JsonValue[],
    parameters: JsonValue | undefined,
    timeoutMs: number,
  ): Promise<JsonValue[]> {
    const body = Buffer.from(
      JSON.stringify(parameters === undefined ? { instances } : { instances, parameters }),
    );
    const auth = (await this.options.authorize?.()) ?? {};
    const { status, text } = await this.post(body, auth, timeoutMs);
    let parsed: unknown;
    try {
      parsed = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (status < 200 || status >= 300) {
      const code = codeOfErrorBody(parsed) ?? grpcCodeForHttpStatus(status);
      const detail = messageOfErrorBody(parsed, text.slice(0, 300));
      throw new HttpPredictError(`HTTP ${status} from ${this.url.host}: ${detail}`, code, status);
    }
    return predictionsOf(parsed, text, this.url.host);
  }

  private post(
    body: Buffer,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(err);
      };
      const req = this.client.request(
        this.url,
        {
          method: "POST",
          agent: this.agent,
          headers: {
            ...headers,
            "content-type": "application/json",
            "content-length": String(body.length),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", (err) => fail(err));
          res.on("end", () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") });
          });
        },
      );
      const timer = setTimeout(() => {
        fail(
          new HttpPredictError(
            `predict did not complete within ${timeoutMs} ms`,
            GrpcStatus.DEADLINE_EXCEEDED,
          ),
        );
        req.destroy();
      }, timeoutMs);
      req.on("error", (err: NodeJS.ErrnoException) => {
        const unreachable = err.code !== undefined && UNAVAILABLE_ERRNOS.has(err.code);
        if (!unreachable && isTlsError(err)) {
          const detail = `${err.code ?? "TLS"} ${err.message}`;
          const message = tlsFailureMessage(this.url.hostname, this.options.psc ?? {}, detail);
          fail(new HttpPredictError(message, GrpcStatus.UNKNOWN, undefined, err));
          return;
        }
        fail(
          new HttpPredictError(
            `predict request to ${this.url.host} failed: ${err.message}`,
            unreachable || err.message === "socket hang up" ? GrpcStatus.UNAVAILABLE : GrpcStatus.UNKNOWN,
          ),
        );
      });
      req.end(body);
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }
}
