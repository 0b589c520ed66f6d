/**
 * Private only: nothing of the platform is reachable from, or talks to, the internet
 * except through the VPC.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { GCP, describe, propsOf, type ResourceView } from "./resources";
import { UNKNOWN, peek } from "./values";

export const subnetPrivateGoogleAccess: ResourceValidationPolicy = {
  name: "subnet-private-google-access",
  description:
    "Every subnet has Private Google Access: workloads without external IPs reach Pub/Sub, Bigtable, " +
    "Vertex AI and BigQuery over Google's network, so nothing needs an external IP.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const subnet = propsOf(args, GCP.subnetwork);
    if (!subnet) return args.notApplicable("not a subnet");
    // Proxy-only and Private Service Connect subnets host no workloads and cannot take the setting.
    const purpose = subnet.purpose ?? "PRIVATE";
    if (purpose !== "PRIVATE" && purpose !== "PRIVATE_RFC_1918") {
      return args.notApplicable(`purpose ${purpose} hosts no workloads`);
    }
    if (peek(() => subnet.privateIpGoogleAccess) === UNKNOWN) return;
    if (subnet.privateIpGoogleAccess !== true) {
      reportViolation(`${describe(args)} has no Private Google Access: set privateIpGoogleAccess to true.`);
    }
  },
};

export const vertexEndpointPrivate: ResourceValidationPolicy = {
  name: "vertex-endpoint-private",
  description:
    "Every Vertex AI endpoint is private, reached through VPC peering (network) or Private Service Connect: " +
    "a public endpoint accepts predict calls from the internet.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const endpoint = propsOf(args, GCP.endpoint);
    if (!endpoint) return args.notApplicable("not a Vertex AI endpoint");
    const network = peek(() => endpoint.network);
    const psc = peek(() => endpoint.privateServiceConnectConfig?.enablePrivateServiceConnect);
    const hasNetwork = network === UNKNOWN || (network !== undefined && network !== "");
    if (!hasNetwork && psc !== true && psc !== UNKNOWN) {
      reportViolation(
        `${describe(args)} is public: set network (VPC peering) or ` +
          `privateServiceConnectConfig.enablePrivateServiceConnect to true.`,
      );
    }
  },
};

export const workerPoolVpcEgress: ResourceValidationPolicy = {
  name: "worker-pool-vpc-egress",
  description:
    "Every Cloud Run worker pool sends all its traffic through the VPC (Direct VPC egress or a connector, " +
    "egress ALL_TRAFFIC): its calls then obey the VPC's firewall and reach Google APIs privately.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const pool = propsOf(args, GCP.workerPool);
    if (!pool) return args.notApplicable("not a Cloud Run worker pool");
    const access = pool.template?.vpcAccess;
    const interfaces = peek(() => access?.networkInterfaces);
    const connector = peek(() => access?.connector);
    const attached =
      interfaces === UNKNOWN || connector === UNKNOWN || (interfaces?.length ?? 0) > 0 || !!connector;
    if (!attached) {
      reportViolation(
        `${describe(args)} is not attached to the VPC: set template.vpcAccess.networkInterfaces ` +
          `(Direct VPC egress) and template.vpcAccess.egress to "ALL_TRAFFIC".`,
      );
      return;
    }
    const egress = peek(() => access?.egress);
    if (egress !== UNKNOWN && egress !== "ALL_TRAFFIC") {
      reportViolation(
        `${describe(args)} sends only private ranges through the VPC (egress ${JSON.stringify(egress ?? "PRIVATE_RANGES_ONLY")}): ` +
          `set template.vpcAccess.egress to "ALL_TRAFFIC".`,
      );
    }
  },
};

interface NetworkInterfaceView {
  accessConfigs?: unknown[];
  ipv6AccessConfigs?: unknown[];
}

function networkInterfacesOf(resource: ResourceView): NetworkInterfaceView[] | undefined {
  const vm =
    propsOf(resource, GCP.instance) ??
    propsOf(resource, GCP.instanceFromTemplate) ??
    propsOf(resource, GCP.instanceTemplate) ??
    propsOf(resource, GCP.regionInstanceTemplate);
  return vm ? (vm.networkInterfaces ?? []) : undefined;
}

export const noExternalIp: ResourceValidationPolicy = {
  name: "no-external-ip",
  description:
    "No VM instance or instance template has an external IP: the platform reaches the internet only through " +
    "Cloud NAT and Google APIs through Private Google Access, so no host is addressable from outside.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const interfaces = networkInterfacesOf(args);
    if (!interfaces) return args.notApplicable("not a VM instance or template");
    interfaces.forEach((nic, i) => {
      for (const property of ["accessConfigs", "ipv6AccessConfigs"] as const) {
        if ((nic[property]?.length ?? 0) > 0) {
          reportViolation(
            `${describe(args)} has an external IP (networkInterfaces[${i}].${property}): remove ${property}; ` +
              `use Cloud NAT for outbound traffic.`,
          );
        }
      }
    });
  },
};

const ANYWHERE = ["0.0.0.0/0", "::/0"];

export const firewallNoPublicIngress: ResourceValidationPolicy = {
  name: "firewall-no-public-ingress",
  description:
    "No firewall rule allows ingress from 0.0.0.0/0 (or ::/0): nothing of the platform serves the internet, " +
    "and an open rule exposes every VM it targets.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const rule = propsOf(args, GCP.firewall);
    if (!rule) return args.notApplicable("not a firewall rule");
    if ((rule.direction ?? "INGRESS") !== "INGRESS" || rule.disabled === true) {
      return args.notApplicable("not an enabled ingress rule");
    }
    if ((rule.allows ?? []).length === 0) return; // a deny rule from anywhere is the safe kind
    const open = (rule.sourceRanges ?? []).filter((r) => ANYWHERE.includes(r));
    if (open.length > 0) {
      reportViolation(
        `${describe(args)} allows ingress from ${open.join(", ")}: restrict sourceRanges to the ranges that ` +
          `need access (e.g. 35.235.240.0/20 for IAP).`,
      );
    }
  },
};
