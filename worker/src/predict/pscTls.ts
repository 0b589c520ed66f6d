/**
 * TLS to a Private Service Connect endpoint, scoped to its one host name: the PSC
 * address serves a self-signed certificate for `*.prediction.p.vertexai.goog`
 * (contract/psc.ts cites Google's page). Everything here builds options for the one
 * agent (HTTP) or channel (gRPC) that carries predict calls; nothing touches Node's
 * global agent, `NODE_TLS_REJECT_UNAUTHORIZED` or any other client, so Google APIs,
 * Pub/Sub, Bigtable and telemetry keep full verification.
 */
import type { LookupFunction } from "node:net";
import { isPscHostName, type PscTlsMode } from "../../../contract/psc";

export type { PscTlsMode };

/** How the worker reaches the PSC endpoint's name (`SI_VERTEX_PSC_TLS`, `SI_VERTEX_PSC_CERTIFICATE`). */
export interface PscRoute {
  /** Unset: the system's CAs (the default for any host). */
  tls?: PscTlsMode;
  /** PEM of the endpoint's certificate (`pinned`). */
  certificate?: string;
  /**
   * Local twin only (`SI_LOCAL_ONLY_PSC_ADDRESS`): a loopback address the PSC host name
   * resolves to, standing in for the VPC's private zone. The deployment never sets it.
   */
  localOnlyAddress?: string;
}

/** Why `route` cannot be used for `host`, or undefined. */
export function pscRouteProblem(host: string, route: PscRoute): string | undefined {
  const relaxed = route.tls !== undefined || route.localOnlyAddress !== undefined;
  if (relaxed && !isPscHostName(host)) {
    return (
      `PSC TLS settings apply only to a host under prediction.p.vertexai.goog, not ${host}: ` +
      "the worker relaxes or pins TLS for the PSC endpoint's name alone"
    );
  }
  if (route.tls === "pinned" && route.certificate === undefined) {
    return "SI_VERTEX_PSC_TLS pinned needs the endpoint's certificate in SI_VERTEX_PSC_CERTIFICATE";
  }
  if (route.tls !== "pinned" && route.certificate !== undefined) {
    return "SI_VERTEX_PSC_CERTIFICATE is set but SI_VERTEX_PSC_TLS is not pinned: set SI_VERTEX_PSC_TLS=pinned";
  }
  return undefined;
}

/** Throws with the problem if `route` cannot be used for `host`. */
export function checkPscRoute(host: string, route: PscRoute): void {
  const problem = pscRouteProblem(host, route);
  if (problem !== undefined) throw new Error(problem);
}

/** TLS options of the predict agent for `host` (empty: Node's default verification). */
export function pscTlsOptions(
  host: string,
  route: PscRoute,
): { rejectUnauthorized?: false; ca?: string; lookup?: LookupFunction } {
  checkPscRoute(host, route);
  return {
    ...(route.tls === "unverified" ? { rejectUnauthorized: false as const } : {}),
    ...(route.tls === "pinned" ? { ca: route.certificate } : {}),
    ...(route.localOnlyAddress === undefined ? {} : { lookup: fixedLookup(host, route.localOnlyAddress) }),
  };
}

/** A resolver that answers `address` for `host` (and refuses any other name). */
export function fixedLookup(host: string, address: string): LookupFunction {
  const family = address.includes(":") ? 6 : 4;
  return (hostname, options, callback) => {
    if (hostname.toLowerCase() !== host.toLowerCase()) {
      const error = Object.assign(new Error(`no local address for ${hostname}`), { code: "ENOTFOUND" });
      callback(error, "", 4);
      return;
    }
    if ((options as { all?: boolean }).all === true) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address, family },
      ]);
    } else callback(null, address, family);
  };
}

/** Node's certificate error codes (`tls` / OpenSSL): a failed handshake, not an unreachable host. */
const TLS_ERROR_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_GET_ISSUER_CERT",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "EPROTO",
]);

/** True if `error` is a TLS handshake failure (certificate or protocol). */
export function isTlsError(error: { code?: unknown; message?: unknown }): boolean {
  if (typeof error.code === "string" && TLS_ERROR_CODES.has(error.code)) return true;
  return typeof error.message === "string" && /certificate|SSL routines|TLS/i.test(error.message);
}

/** What to say about a failed handshake: TLS, the host, the mode, and the fix. */
export function tlsFailureMessage(host: string, route: PscRoute, detail: string): string {
  const mode = route.tls ?? "the system's CAs";
  const hint = isPscHostName(host)
    ? "a PSC endpoint serves a self-signed certificate for *.prediction.p.vertexai.goog: " +
      "set SI_VERTEX_PSC_TLS (unverified, or pinned with SI_VERTEX_PSC_CERTIFICATE)"
    : "a PSC endpoint serves a self-signed certificate for *.prediction.p.vertexai.goog, not for an IP: " +
      "call it by ENDPOINT_ID-REGION-PROJECT_NUMBER.prediction.p.vertexai.goog";
  return `TLS handshake with ${host} failed (verification: ${mode}): ${detail}; ${hint}`;
}
