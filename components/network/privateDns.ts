/**
 * A private DNS zone for googleapis.com that resolves every Google API to
 * private.googleapis.com, so the egress firewall only has to allow that range.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { PRIVATE_GOOGLE_APIS } from "./googleApis";

export interface PrivateGoogleApisDnsInput {
  name: string;
  prefix: string;
  project?: pulumi.Input<string>;
  networkSelfLink: pulumi.Input<string>;
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  parent: pulumi.Resource;
}

export function createPrivateGoogleApisDns(input: PrivateGoogleApisDnsInput): gcp.dns.ManagedZone {
  const { name, project, parent } = input;
  const zone = new gcp.dns.ManagedZone(
    `${name}-googleapis`,
    {
      project,
      name: `${input.prefix}-googleapis`,
      dnsName: PRIVATE_GOOGLE_APIS.zone,
      description: "Resolves Google APIs to private.googleapis.com for Private Google Access.",
      visibility: "private",
      privateVisibilityConfig: { networks: [{ networkUrl: input.networkSelfLink }] },
      labels: input.labels,
    },
    { parent },
  );
  new gcp.dns.RecordSet(
    `${name}-googleapis-a`,
    {
      project,
      managedZone: zone.name,
      name: PRIVATE_GOOGLE_APIS.domain,
      type: "A",
      ttl: 300,
      rrdatas: [...PRIVATE_GOOGLE_APIS.addresses],
    },
    { parent },
  );
  new gcp.dns.RecordSet(
    `${name}-googleapis-cname`,
    {
      project,
      managedZone: zone.name,
      name: PRIVATE_GOOGLE_APIS.wildcard,
      type: "CNAME",
      ttl: 300,
      rrdatas: [PRIVATE_GOOGLE_APIS.domain],
    },
    { parent },
  );
  return zone;
}
