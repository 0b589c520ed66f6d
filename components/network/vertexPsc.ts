/**
 * What the VPC needs before Vertex AI's PSC automation can put an endpoint in it, and
 * before the worker can call that endpoint by the name its certificate carries
 * ("Use dedicated private endpoints based on Private Service Connect for online inference"):
 *
 * - A **service connection policy** per region for service class `gcp-vertexai`, naming
 *   the region's subnet: "A Service connection policy is required to let Vertex AI create
 *   PSC endpoints in your networks. Without a valid policy, the automation fails with a
 *   CONNECTION_POLICY_MISSING error" (section "Create a service connection policy";
 *   `gcloud network-connectivity service-connection-policies create ... --service-class=gcp-vertexai
 *   --region=REGION --subnets=PSC_SUBNETS`). Fields as the provider defines them
 *   (magic-modules `mmv1/products/networkconnectivity/ServiceConnectionPolicy.yaml`:
 *   `serviceClass`, `network`, `pscConfig.subnetworks`, `location`, `name`).
 * - A **private zone** `prediction.p.vertexai.goog.` on the VPC ("Create a DNS record for
 *   the internal IP address": `gcloud dns managed-zones create --dns-name=prediction.p.vertexai.goog.
 *   --visibility=private --networks=VPC_NETWORK_NAME`); each endpoint adds its A record
 *   (`InferenceEndpoint`), so the worker reaches it by the name the certificate covers.
 */
import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { PSC_DNS_ZONE } from "../../contract/psc";

/** Vertex AI's service class for service connectivity automation (the page above). */
export const VERTEX_AI_SERVICE_CLASS = "gcp-vertexai";

export interface VertexPscAccessInput {
  name: string;
  prefix: string;
  project?: pulumi.Input<string>;
  /** `projects/P/global/networks/N` (the policy's `network`). */
  networkId: pulumi.Input<string>;
  /** The network's self link (the zone's `privateVisibilityConfig`). */
  networkSelfLink: pulumi.Input<string>;
  /** Region -> its subnet, where the automation takes the forwarding rule's address. */
  subnets: readonly (readonly [string, gcp.compute.Subnetwork])[];
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  parent: pulumi.Resource;
}

export interface VertexPscAccess {
  /** The private `prediction.p.vertexai.goog.` zone; endpoints add their A records to it. */
  zone: gcp.dns.ManagedZone;
  /** Region -> the `gcp-vertexai` service connection policy (endpoints wait for theirs). */
  policies: Record<string, gcp.networkconnectivity.ServiceConnectionPolicy>;
}

export function createVertexPscAccess(input: VertexPscAccessInput): VertexPscAccess {
  const { name, prefix, project, parent } = input;
  const zone = new gcp.dns.ManagedZone(
    `${name}-vertex-psc`,
    {
      project,
      name: `${prefix}-vertex-psc`,
      dnsName: PSC_DNS_ZONE,
      description:
        "Names of Vertex AI PSC endpoints (ENDPOINT_ID-REGION-PROJECT_NUMBER), as their certificate carries.",
      visibility: "private",
      privateVisibilityConfig: { networks: [{ networkUrl: input.networkSelfLink }] },
      labels: input.labels,
    },
    { parent },
  );
  const policies = Object.fromEntries(
    input.subnets.map(([region, subnet]) => [
      region,
      new gcp.networkconnectivity.ServiceConnectionPolicy(
        `${name}-vertex-psc-${region}`,
        {
          project,
          name: `${prefix}-vertexai-${region}`,
          location: region,
          serviceClass: VERTEX_AI_SERVICE_CLASS,
          network: input.networkId,
          description: "Lets Vertex AI's PSC automation create endpoint forwarding rules in this subnet.",
          pscConfig: { subnetworks: [subnet.id] },
          labels: input.labels,
        },
        { parent },
      ),
    ]),
  );
  return { zone, policies };
}
