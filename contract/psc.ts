/**
 * How a Private Service Connect endpoint is reached, shared by the components (the DNS
 * record and the worker's env), the worker (TLS for that one host) and the local twin.
 *
 * Google's rules ("Use dedicated private endpoints based on Private Service Connect for
 * online inference", sections "Get online inferences", "Create a DNS record for the
 * internal IP address" and "Support for Transport Layer Security (TLS) certificates"):
 * - the PSC address serves 443 with TLS under a **self-signed** certificate whose SAN is
 *   `*.prediction.p.vertexai.goog` ("not unique to a specific endpoint", valid 10 years),
 *   and 80 without TLS; both take HTTP and gRPC;
 * - HTTPS needs the FQDN `ENDPOINT_ID-REGION-VERTEX_AI_PROJECT_NUMBER.prediction.p.vertexai.goog`,
 *   an A record in a private zone `prediction.p.vertexai.goog.` on the VPC (TTL 60 in the
 *   docs' `gcloud dns record-sets create`), and the certificate in the client's trust store.
 */

/** The private zone's DNS name (trailing dot, as Cloud DNS takes it). */
export const PSC_DNS_ZONE = "prediction.p.vertexai.goog.";
/** The domain every PSC endpoint's name is under (the certificate's SAN is `*.` this). */
export const PSC_DNS_DOMAIN = "prediction.p.vertexai.goog";
/** TTL of the endpoint's A record, s (the docs' `gcloud dns record-sets create --ttl=60`). */
export const PSC_DNS_TTL_SECONDS = 60;
/** The PSC address's TLS port (gRPC and HTTPS). */
export const PSC_TLS_PORT = 443;

/** The endpoint's host name: `ENDPOINT_ID-REGION-PROJECT_NUMBER.prediction.p.vertexai.goog`. */
export function pscHostName(endpointId: string, region: string, projectNumber: string): string {
  return `${endpointId}-${region}-${projectNumber}.${PSC_DNS_DOMAIN}`;
}

/**
 * True for a single label under `prediction.p.vertexai.goog`: the only names the
 * certificate's wildcard covers, and the only hosts the worker relaxes or pins TLS for.
 */
export function isPscHostName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  const suffix = `.${PSC_DNS_DOMAIN}`;
  if (!name.endsWith(suffix)) return false;
  const label = name.slice(0, -suffix.length);
  return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(label);
}

/**
 * How the worker checks the PSC endpoint's certificate (`SI_VERTEX_PSC_TLS`):
 * - `unverified`: TLS (encrypted) without checking the certificate, as Google's Python SDK
 *   does for PSC (`models.py`: `urllib3.PoolManager(cert_reqs="CERT_NONE")`); only for the
 *   one PSC host name, on an agent/channel used for nothing else;
 * - `pinned`: verified against the endpoint's certificate given in `SI_VERTEX_PSC_CERTIFICATE`
 *   (Google's "download the self-signed certificate and add it to the trust store"), host
 *   name checked against its SAN.
 * Unset: the system's CAs, as for every other host.
 */
export const PSC_TLS_MODES = ["unverified", "pinned"] as const;
export type PscTlsMode = (typeof PSC_TLS_MODES)[number];

/** What the components set when the stack config pins no certificate: Google's own SDK's choice. */
export const PSC_TLS_DEFAULT: PscTlsMode = "unverified";

/** The worker's PSC TLS variables (by `WORKER_ENV` key) for a mode and, when pinned, the certificate. */
export function pscTlsEnv<V>(
  mode: PscTlsMode,
  certificate: V | undefined,
): { vertexPscTls: PscTlsMode; vertexPscCertificate?: V } {
  if (mode === "pinned" && certificate === undefined) {
    throw new Error("PSC TLS pinned needs the endpoint's certificate (PEM)");
  }
  return mode === "pinned"
    ? { vertexPscTls: mode, vertexPscCertificate: certificate }
    : { vertexPscTls: mode };
}

/**
 * How the worker is told to check a PSC endpoint's certificate, from the stack config:
 * pinned to `certificate` when one is given, else the default; undefined off PSC.
 */
export function pscTlsFor<V>(
  connectivity: string,
  certificate: V | undefined,
): { vertexPscTls: PscTlsMode; vertexPscCertificate?: V } | undefined {
  if (connectivity !== "psc") return undefined;
  return pscTlsEnv(certificate === undefined ? PSC_TLS_DEFAULT : "pinned", certificate);
}
