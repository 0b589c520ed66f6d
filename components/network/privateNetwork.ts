/**
 * The platform's VPC: custom mode, one subnet per region with Private Google Access
 * and flow logs, private services access for Vertex AI, default-deny firewall, and no
 * route to the internet (only to private.googleapis.com). No external IPs, no Cloud NAT:
 * everything the platform talks to is a Google API or a peered Google service.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { createFirewallRules } from "./firewall";
import { PRIVATE_GOOGLE_APIS } from "./googleApis";
import { createPrivateGoogleApisDns } from "./privateDns";
import { createVertexPscAccess } from "./vertexPsc";

export interface PrivateNetworkArgs {
  /** Project of the VPC. Defaults to the provider's project. */
  project?: pulumi.Input<string>;
  /** Prefix of the network's resource names (`<prefix>-vpc`, `<prefix>-<region>`). Required. */
  prefix: string;
  /**
   * The subnet range of each region (`{ "us-central1": "10.30.0.0/20" }`); one subnet
   * per entry. A plain map: it decides which subnets exist. Required.
   */
  subnetCidrs: Record<string, string>;
  /**
   * Range reserved for private services access (Vertex AI endpoints over VPC peering),
   * e.g. `10.130.0.0/16`. Plain: it is split into address and prefix length. Required.
   */
  privateServicesCidr: string;
  /** Share of flows sampled into VPC flow logs, 0 to 1. Defaults to 0.5. */
  flowLogSampling?: pulumi.Input<number>;
  /** Labels on the resources that take them (the DNS zone, the private-services address). Defaults to none. */
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Prepare the VPC for Vertex AI endpoints over Private Service Connect: a `gcp-vertexai`
   * service connection policy per subnet region and the private `prediction.p.vertexai.goog.`
   * zone (vertexPsc.ts). Defaults to false (peering needs neither).
   */
  vertexPrivateServiceConnect?: boolean;
}

/** Splits `a.b.c.d/n` into address and prefix length, with a clear error on anything else. */
export function splitCidr(cidr: string): { address: string; prefixLength: number } {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
  if (!match)
    throw new Error(`PrivateNetwork privateServicesCidr "${cidr}" is not an IPv4 CIDR like 10.130.0.0/16`);
  return { address: match[1]!, prefixLength: Number(match[2]) };
}

export class PrivateNetwork extends pulumi.ComponentResource {
  public readonly networkId: pulumi.Output<string>;
  public readonly networkSelfLink: pulumi.Output<string>;
  public readonly networkName: pulumi.Output<string>;
  /** Subnet id per region. */
  public readonly subnetIds: Record<string, pulumi.Output<string>>;
  /** Subnet self link per region (Cloud Run Direct VPC egress takes these). */
  public readonly subnetSelfLinks: Record<string, pulumi.Output<string>>;
  /** Name of the reserved private services range (Vertex AI `reservedIpRanges`). */
  public readonly privateServicesRangeName: pulumi.Output<string>;
  /** The peering with Google's services: Vertex endpoints on the network `dependsOn` it. */
  public readonly privateServicesConnection: gcp.servicenetworking.Connection;
  /** Subnet per region (a PSC model deployment waits for its region's). */
  public readonly subnets: Record<string, gcp.compute.Subnetwork>;
  /** With `vertexPrivateServiceConnect`: the private `prediction.p.vertexai.goog.` zone's name. */
  public readonly vertexPscZoneName?: pulumi.Output<string>;
  /** With `vertexPrivateServiceConnect`: region -> its `gcp-vertexai` service connection policy. */
  public readonly vertexPscPolicies: Record<string, pulumi.Resource>;

  constructor(name: string, args: PrivateNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("streaming-inference:network:PrivateNetwork", name, {}, opts);
    const { project, prefix } = args;
    const range = splitCidr(args.privateServicesCidr);

    const network = new gcp.compute.Network(
      `${name}-vpc`,
      {
        project,
        name: `${prefix}-vpc`,
        description: "Streaming-inference platform network: private, no internet route.",
        autoCreateSubnetworks: false,
        routingMode: "REGIONAL",
        // No default internet route: only private.googleapis.com is routable (below).
        deleteDefaultRoutesOnCreate: true,
      },
      { parent: this },
    );
    new gcp.compute.Route(
      `${name}-google-apis`,
      {
        project,
        name: `${prefix}-private-google-apis`,
        description: "Route to private.googleapis.com for Private Google Access.",
        network: network.id,
        destRange: PRIVATE_GOOGLE_APIS.cidr,
        nextHopGateway: "default-internet-gateway",
        priority: 1000,
      },
      { parent: this },
    );

    const subnets = Object.entries(args.subnetCidrs).map(
      ([region, cidr]) =>
        [
          region,
          new gcp.compute.Subnetwork(
            `${name}-${region}`,
            {
              project,
              name: `${prefix}-${region}`,
              region,
              network: network.id,
              ipCidrRange: cidr,
              privateIpGoogleAccess: true,
              logConfig: {
                aggregationInterval: "INTERVAL_5_SEC",
                flowSampling: args.flowLogSampling ?? 0.5,
                metadata: "INCLUDE_ALL_METADATA",
              },
            },
            { parent: this },
          ),
        ] as const,
    );

    const reserved = new gcp.compute.GlobalAddress(
      `${name}-private-services`,
      {
        project,
        name: `${prefix}-private-services`,
        description: "Private services access range (Vertex AI endpoints over VPC peering).",
        network: network.id,
        purpose: "VPC_PEERING",
        addressType: "INTERNAL",
        address: range.address,
        prefixLength: range.prefixLength,
        labels: args.labels,
      },
      { parent: this },
    );
    this.privateServicesConnection = new gcp.servicenetworking.Connection(
      `${name}-private-services`,
      {
        network: network.id,
        service: "servicenetworking.googleapis.com",
        reservedPeeringRanges: [reserved.name],
        // Deleting the peering fails while Google still has producers on it; let it go with the network.
        deletionPolicy: "ABANDON",
      },
      { parent: this },
    );

    createFirewallRules({
      name,
      prefix,
      project,
      network: network.id,
      internalRanges: [...Object.values(args.subnetCidrs), args.privateServicesCidr],
      parent: this,
    });
    createPrivateGoogleApisDns({
      name,
      prefix,
      project,
      networkSelfLink: network.selfLink,
      labels: args.labels,
      parent: this,
    });

    const vertexPsc = args.vertexPrivateServiceConnect
      ? createVertexPscAccess({
          name,
          prefix,
          project,
          networkId: network.id,
          networkSelfLink: network.selfLink,
          subnets,
          labels: args.labels,
          parent: this,
        })
      : undefined;
    this.subnets = Object.fromEntries(subnets);
    this.vertexPscZoneName = vertexPsc?.zone.name;
    this.vertexPscPolicies = vertexPsc?.policies ?? {};

    this.networkId = network.id;
    this.networkSelfLink = network.selfLink;
    this.networkName = network.name;
    this.subnetIds = Object.fromEntries(subnets.map(([region, s]) => [region, s.id]));
    this.subnetSelfLinks = Object.fromEntries(subnets.map(([region, s]) => [region, s.selfLink]));
    this.privateServicesRangeName = reserved.name;
    this.registerOutputs({
      networkId: this.networkId,
      networkSelfLink: this.networkSelfLink,
      subnetIds: this.subnetIds,
      privateServicesRangeName: this.privateServicesRangeName,
    });
  }
}
