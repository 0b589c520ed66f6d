/**
 * Default-deny firewall for the platform VPC. Nothing in the platform accepts inbound
 * connections (workers pull, Vertex is reached over peering, and the firewall is
 * stateful for replies), so all ingress is denied; egress is allowed only to the VPC's
 * own ranges, the private services range (Vertex) and private.googleapis.com.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { PRIVATE_GOOGLE_APIS } from "./googleApis";

/** Lowest priority a rule can have: the default behaviour, overridden by any allow. */
const DEFAULT_RULE_PRIORITY = 65534;
const ALLOW_PRIORITY = 1000;

export interface FirewallRulesInput {
  name: string;
  prefix: string;
  project?: pulumi.Input<string>;
  network: pulumi.Input<string>;
  /** Ranges inside the VPC: the subnets and the private services range. */
  internalRanges: pulumi.Input<string>[];
  parent: pulumi.Resource;
}

/** Declares the rules; returns them in a stable order. */
export function createFirewallRules(input: FirewallRulesInput): gcp.compute.Firewall[] {
  const { name, prefix, project, network, parent } = input;
  const logged = { metadata: "INCLUDE_ALL_METADATA" };
  const rule = (role: string, args: Omit<gcp.compute.FirewallArgs, "network" | "project" | "name">) =>
    new gcp.compute.Firewall(
      `${name}-${role}`,
      { project, network, name: `${prefix}-${role}`, logConfig: logged, ...args },
      { parent },
    );
  return [
    rule("deny-all-ingress", {
      description: "Default deny: nothing in the platform accepts inbound connections.",
      direction: "INGRESS",
      priority: DEFAULT_RULE_PRIORITY,
      sourceRanges: ["0.0.0.0/0"],
      denies: [{ protocol: "all" }],
    }),
    rule("deny-all-egress", {
      description: "Default deny: egress only through the allow rules (VPC, Vertex, Google APIs).",
      direction: "EGRESS",
      priority: DEFAULT_RULE_PRIORITY,
      destinationRanges: ["0.0.0.0/0"],
      denies: [{ protocol: "all" }],
    }),
    rule("allow-internal-egress", {
      description: "Egress to the platform's subnets and the private services range (Vertex AI endpoints).",
      direction: "EGRESS",
      priority: ALLOW_PRIORITY,
      destinationRanges: input.internalRanges,
      allows: [{ protocol: "tcp" }],
    }),
    rule("allow-google-apis-egress", {
      description: "HTTPS to Google APIs through private.googleapis.com (Private Google Access).",
      direction: "EGRESS",
      priority: ALLOW_PRIORITY,
      destinationRanges: [PRIVATE_GOOGLE_APIS.cidr],
      allows: [{ protocol: "tcp", ports: ["443"] }],
    }),
  ];
}
