/**
 * Which failures are a dependency's (an outage) rather than a message's. An outage must
 * not cost the message a delivery attempt or send it to the dead-letter topic: the worker
 * holds the message and waits for the dependency (`circuits.ts`). Only what a message
 * causes by itself (a rejected instance, a bad feature) is the message's.
 */
import { status as GrpcStatus } from "@grpc/grpc-js";
import { grpcCode } from "./retry";

/** What the worker depends on, by the name logs, metrics and the health detail use. */
export const DEPENDENCIES = {
  subscription: "subscription",
  predictionsTopic: "predictions_topic",
  deadLetterTopic: "dead_letter_topic",
  featureStore: "feature_store",
  model: "model",
} as const;
export type Dependency = (typeof DEPENDENCIES)[keyof typeof DEPENDENCIES];

/**
 * gRPC codes that say the service (not the request) is the problem: it is unreachable or
 * overloaded (UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED), the resource is gone
 * (NOT_FOUND: a deleted topic, a wrong table or instance, an undeployed endpoint), or the
 * worker may not use it (PERMISSION_DENIED, UNAUTHENTICATED). Meanings from
 * googleapis `google/rpc/code.proto`. Not here: INVALID_ARGUMENT (this request is wrong),
 * INTERNAL and UNKNOWN without a network cause (a model can fail on one input; the batch
 * is retried and isolated as a message failure).
 */
const OUTAGE_CODES = new Set<number>([
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.RESOURCE_EXHAUSTED,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.NOT_FOUND,
  GrpcStatus.PERMISSION_DENIED,
  GrpcStatus.UNAUTHENTICATED,
]);

/**
 * Node's error codes for a connection that could not be made or kept (DNS, refused, reset,
 * TLS handshake and certificate failures: Node `errors.md`, OpenSSL verify codes as Node
 * reports them). An error carrying one, on itself or along its `cause` chain, is an outage
 * whatever gRPC code a transport gave it (the HTTP transport reports some as UNKNOWN).
 */
const NETWORK_ERROR_CODE =
  /^(ECONNREFUSED|ECONNRESET|ECONNABORTED|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ERR_TLS_.*|ERR_SSL_.*|CERT_.*|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_.*|ERR_HTTP2_.*|UND_ERR_.*)$/;
/** The same failures as they appear in a message when only the text survives. */
const NETWORK_ERROR_TEXT =
  /\b(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)\b|self[- ]signed certificate|unable to verify the first certificate|certificate has expired|Hostname\/IP does not match|socket hang up|No connection established/i;

function hasNetworkCause(err: unknown, depth = 0): boolean {
  if (err === null || typeof err !== "object" || depth > 5) return false;
  const { code, message, cause } = err as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === "string" && NETWORK_ERROR_CODE.test(code)) return true;
  if (typeof message === "string" && NETWORK_ERROR_TEXT.test(message)) return true;
  return hasNetworkCause(cause, depth + 1);
}

/** True when `err` says the dependency is down or unusable, not that the message is bad. */
export function isOutage(err: unknown): boolean {
  const code = grpcCode(err);
  if (code !== undefined && OUTAGE_CODES.has(code)) return true;
  if (code === GrpcStatus.INVALID_ARGUMENT) return false;
  return hasNetworkCause(err);
}
