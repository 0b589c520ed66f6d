/**
 * A PSC endpoint's A record in the VPC's private `prediction.p.vertexai.goog.` zone
 * (components/network/vertexPsc.ts): the name its certificate covers,
 * `ENDPOINT_ID-REGION-PROJECT_NUMBER.prediction.p.vertexai.goog.` -> the PSC automation's
 * address, TTL 60 (Vertex docs "Use dedicated private endpoints based on Private Service
 * Connect for online inference", "Create a DNS record for the internal IP address":
 * `gcloud dns record-sets create ENDPOINT_ID-REGION-VERTEX_AI_PROJECT_NUMBER.prediction.p.vertexai.goog.
 * --rrdatas=INTERNAL_IP_ADDRESS --type=A --ttl=60`).
 *
 * The worker calls the name, never the address: when the automation's forwarding rule is
 * recreated with a new address (it is purged once no model is deployed), `pulumi refresh`
 * reads the new address and `pulumi up` moves the record; the worker's env does not change.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { PSC_DNS_TTL_SECONDS, pscHostName } from "../../contract/psc";

export interface PscDnsRecordArgs {
  project: pulumi.Input<string>;
  region: string;
  /** The private zone's resource name (`gcp.dns.ManagedZone.name`). */
  zone: pulumi.Input<string>;
  /** The numeric endpoint id. */
  endpointId: pulumi.Input<string>;
  /** The PSC automation's address. */
  address: pulumi.Input<string>;
}

export function pscDnsRecord(
  name: string,
  args: PscDnsRecordArgs,
  parent: pulumi.Resource,
): gcp.dns.RecordSet {
  const projectNumber = gcp.organizations.getProjectOutput({ projectId: args.project }, { parent }).number;
  return new gcp.dns.RecordSet(
    name,
    {
      project: args.project,
      managedZone: args.zone,
      name: pulumi
        .all([args.endpointId, projectNumber])
        .apply(([endpointId, number]) => `${pscHostName(endpointId, args.region, number)}.`),
      type: "A",
      ttl: PSC_DNS_TTL_SECONDS,
      rrdatas: [args.address],
    },
    { parent },
  );
}
