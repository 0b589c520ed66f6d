/**
 * Does the VPC's private `googleapis.com.` zone (privateDns.ts) answer for a name the
 * worker must resolve? A private zone is authoritative for its whole suffix inside the
 * VPC, and its `*.googleapis.com.` CNAME sends any name under it to
 * private.googleapis.com, which serves the Google APIs but not a private endpoint.
 *
 * - PSC: the worker calls `ENDPOINT_ID-REGION-PROJECT_NUMBER.prediction.p.vertexai.goog`, which
 *   the VPC's own `prediction.p.vertexai.goog.` zone answers (vertexPsc.ts): not under googleapis.com.
 * - Peering: the worker calls `predictHttpUri`, `http://<endpoint id>.aiplatform.googleapis.com/...`
 *   (aiplatform v1 endpoint.proto). Under our zone that name matches the wildcard, unless
 *   a more specific zone for it exists in the VPC (Cloud DNS answers from the longest
 *   matching private zone). Whether Vertex's peering provides one could not be checked
 *   offline; the platform warns, and docs/connectivity.md says how to check in a project.
 */
import { PRIVATE_GOOGLE_APIS } from "./googleApis";

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The record of the private googleapis.com zone that would answer `host`, or undefined if none would. */
export function shadowingRecord(host: string): string | undefined {
  const name = host.toLowerCase().replace(/\.?$/, ".");
  if (IPV4.test(host) || host.startsWith("[")) return undefined;
  const zone = PRIVATE_GOOGLE_APIS.zone;
  if (name !== zone && !name.endsWith(`.${zone}`)) return undefined;
  if (name === PRIVATE_GOOGLE_APIS.domain) return PRIVATE_GOOGLE_APIS.domain;
  return name === zone ? undefined : PRIVATE_GOOGLE_APIS.wildcard;
}

/** The host of a `host:port` address or a URL. */
export function hostOf(address: string): string {
  if (/^[a-z]+:\/\//i.test(address)) return new URL(address).hostname;
  return address.replace(/:\d+$/, "");
}

/** A warning naming the shadowed host and how to check it, or undefined if the name is not shadowed. */
export function shadowWarning(what: string, address: string): string | undefined {
  const host = hostOf(address);
  const record = shadowingRecord(host);
  if (record === undefined) return undefined;
  return (
    `${what}: the worker must resolve ${host}, which the VPC's private zone ${PRIVATE_GOOGLE_APIS.zone} answers ` +
    `with ${record} -> ${PRIVATE_GOOGLE_APIS.domain} unless a more specific zone for it exists. From a VM in the ` +
    `VPC run \`getent hosts ${host}\`: it must give an address in the private services range, not 199.36.153.x; ` +
    "otherwise use endpoint.connectivity psc (its name is in the VPC's own prediction.p.vertexai.goog. zone)."
  );
}
