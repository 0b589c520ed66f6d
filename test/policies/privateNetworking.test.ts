import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { GCP } from "../../policies/src";
import { endpoint, firewall, subnet, vm, workerPool } from "./fixtures/compliantResources";
import { messagesOf, planned, resourceViolations, withInput } from "./harness";

const policiesOf = async (r: Parameters<typeof resourceViolations>[0]) =>
  (await resourceViolations(r)).map((v) => v.policy);

describe("subnet-private-google-access", () => {
  it("passes a subnet with Private Google Access", async () => {
    expect(await messagesOf("subnet-private-google-access", subnet)).toEqual([]);
  });

  it("flags a subnet without it", async () => {
    const broken = withInput(subnet, "privateIpGoogleAccess", undefined);
    expect(await messagesOf("subnet-private-google-access", broken)).toEqual([
      'Subnet "subnet-us-central1" has no Private Google Access: set privateIpGoogleAccess to true.',
    ]);
    expect(await policiesOf(broken)).toEqual(["subnet-private-google-access"]);
  });

  it("leaves proxy-only subnets alone", async () => {
    const proxy = withInput(
      withInput(subnet, "privateIpGoogleAccess", false),
      "purpose",
      "REGIONAL_MANAGED_PROXY",
    );
    expect(await messagesOf("subnet-private-google-access", proxy)).toEqual([]);
  });
});

describe("vertex-endpoint-private", () => {
  it("passes an endpoint on a peered network or behind Private Service Connect", async () => {
    const psc = withInput(withInput(endpoint, "network", undefined), "privateServiceConnectConfig", {
      enablePrivateServiceConnect: true,
      projectAllowlists: ["acme-ml-prod"],
    });
    expect(await messagesOf("vertex-endpoint-private", [endpoint, psc])).toEqual([]);
  });

  it("flags a public endpoint", async () => {
    const broken = withInput(endpoint, "network", undefined);
    expect(await messagesOf("vertex-endpoint-private", broken)).toEqual([
      'Vertex AI endpoint "endpoint-us-central1" is public: set network (VPC peering) or privateServiceConnectConfig.enablePrivateServiceConnect to true.',
    ]);
    expect(await policiesOf(broken)).toEqual(["vertex-endpoint-private"]);
  });

  it("counts a network unknown at preview as private", async () => {
    expect(
      await messagesOf(
        "vertex-endpoint-private",
        withInput(endpoint, "network", pulumi.runtime.unknownValue),
      ),
    ).toEqual([]);
  });
});

describe("worker-pool-vpc-egress", () => {
  it("passes a pool with Direct VPC egress for all traffic", async () => {
    expect(await messagesOf("worker-pool-vpc-egress", workerPool)).toEqual([]);
  });

  it("flags a pool outside the VPC", async () => {
    const broken = withInput(workerPool, "template.vpcAccess", undefined);
    expect(await messagesOf("worker-pool-vpc-egress", broken)).toEqual([
      'Cloud Run worker pool "worker-us-central1" is not attached to the VPC: set template.vpcAccess.networkInterfaces (Direct VPC egress) and template.vpcAccess.egress to "ALL_TRAFFIC".',
    ]);
    expect(await policiesOf(broken)).toEqual(["worker-pool-vpc-egress"]);
  });

  it("flags a pool that sends only private ranges through the VPC", async () => {
    const broken = withInput(workerPool, "template.vpcAccess.egress", undefined);
    expect(await messagesOf("worker-pool-vpc-egress", broken)).toEqual([
      'Cloud Run worker pool "worker-us-central1" sends only private ranges through the VPC (egress "PRIVATE_RANGES_ONLY"): set template.vpcAccess.egress to "ALL_TRAFFIC".',
    ]);
  });
});

describe("no-external-ip", () => {
  it("passes a VM with internal addresses only", async () => {
    expect(await messagesOf("no-external-ip", vm)).toEqual([]);
  });

  it("flags a VM with an external IP", async () => {
    const broken = withInput(vm, "networkInterfaces.0.accessConfigs", [{ networkTier: "PREMIUM" }]);
    expect(await messagesOf("no-external-ip", broken)).toEqual([
      'VM instance "bastion" has an external IP (networkInterfaces[0].accessConfigs): remove accessConfigs; use Cloud NAT for outbound traffic.',
    ]);
    expect(await policiesOf(broken)).toEqual(["no-external-ip"]);
  });

  it("flags an instance template with an external IPv6 address", async () => {
    const template = planned(GCP.instanceTemplate, "worker-template", {
      ...vm.inputs,
      disks: [{ sourceImage: "debian-12" }],
      networkInterfaces: [
        { subnetwork: "si-prod-us-central1", ipv6AccessConfigs: [{ networkTier: "PREMIUM" }] },
      ],
    });
    expect(await messagesOf("no-external-ip", template)).toEqual([
      'Instance template "worker-template" has an external IP (networkInterfaces[0].ipv6AccessConfigs): remove ipv6AccessConfigs; use Cloud NAT for outbound traffic.',
    ]);
  });
});

describe("firewall-no-public-ingress", () => {
  it("passes a rule from internal ranges, and a deny rule from anywhere", async () => {
    const denyAll = withInput(withInput(firewall, "allows", undefined), "sourceRanges", ["0.0.0.0/0"]);
    const withDeny = withInput(denyAll, "denies", [{ protocol: "all" }]);
    expect(await messagesOf("firewall-no-public-ingress", [firewall, withDeny])).toEqual([]);
  });

  it("flags a rule allowing ingress from the internet", async () => {
    const broken = withInput(firewall, "sourceRanges", ["10.30.0.0/16", "0.0.0.0/0"]);
    expect(await messagesOf("firewall-no-public-ingress", broken)).toEqual([
      'Firewall rule "allow-internal" allows ingress from 0.0.0.0/0: restrict sourceRanges to the ranges that need access (e.g. 35.235.240.0/20 for IAP).',
    ]);
    expect(await policiesOf(broken)).toEqual(["firewall-no-public-ingress"]);
  });

  it("treats a rule without a direction as ingress, and ignores egress rules", async () => {
    const open = withInput(withInput(firewall, "direction", undefined), "sourceRanges", ["::/0"]);
    const egress = withInput(open, "direction", "EGRESS");
    expect(await messagesOf("firewall-no-public-ingress", [open, egress])).toEqual([
      'Firewall rule "allow-internal" allows ingress from ::/0: restrict sourceRanges to the ranges that need access (e.g. 35.235.240.0/20 for IAP).',
    ]);
  });
});
