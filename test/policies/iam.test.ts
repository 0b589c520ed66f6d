import { describe, expect, it } from "vitest";
import { GCP } from "../../policies/src";
import { dataset, metricWriterGrant, subscriberGrant } from "./fixtures/compliantResources";
import { messagesOf, planned, resourceViolations, withInput } from "./harness";

const WORKER = "serviceAccount:si-prod-worker@acme-ml-prod.iam.gserviceaccount.com";

describe("iam-no-basic-roles", () => {
  it("passes predefined roles", async () => {
    expect(await messagesOf("iam-no-basic-roles", [subscriberGrant, metricWriterGrant])).toEqual([]);
  });

  it("flags a basic role on a resource, and nothing else", async () => {
    const broken = withInput(subscriberGrant, "role", "roles/editor");
    expect((await resourceViolations(broken)).map((v) => [v.policy, v.message])).toEqual([
      [
        "iam-no-basic-roles",
        `IAM grant "worker-subscriber" gives basic role roles/editor to ${WORKER}: grant a predefined role on the resource the member uses instead.`,
      ],
    ]);
  });

  it("reads bindings and policy documents too", async () => {
    const binding = planned(GCP.projectIamBinding, "owners", {
      project: "acme-ml-prod",
      role: "roles/owner",
      members: ["group:admins@acme.example"],
    });
    const policy = planned(GCP.projectIamPolicy, "project-policy", {
      project: "acme-ml-prod",
      policyData: JSON.stringify({
        bindings: [{ role: "roles/viewer", members: ["group:all@acme.example"] }],
      }),
    });
    expect(await messagesOf("iam-no-basic-roles", [binding, policy])).toEqual([
      'IAM grant "owners" gives basic role roles/owner to group:admins@acme.example: grant a predefined role on the resource the member uses instead.',
      'IAM grant "project-policy" gives basic role roles/viewer to group:all@acme.example: grant a predefined role on the resource the member uses instead.',
    ]);
  });
});

describe("iam-no-public-members", () => {
  it("passes grants to service accounts and a dataset without public access", async () => {
    expect(await messagesOf("iam-no-public-members", [subscriberGrant, dataset])).toEqual([]);
  });

  it("flags a grant to allUsers, and nothing else", async () => {
    const broken = withInput(subscriberGrant, "member", "allUsers");
    expect((await resourceViolations(broken)).map((v) => [v.policy, v.message])).toEqual([
      [
        "iam-no-public-members",
        'IAM grant "worker-subscriber" gives roles/pubsub.subscriber to allUsers: grant it to the service account or group that needs it.',
      ],
    ]);
  });

  it("flags a dataset readable by every Google account", async () => {
    const broken = withInput(dataset, "accesses", [
      { role: "OWNER", specialGroup: "projectOwners" },
      { role: "READER", specialGroup: "allAuthenticatedUsers" },
    ]);
    expect(await messagesOf("iam-no-public-members", broken)).toEqual([
      'BigQuery dataset "predictions-dataset" gives access to allAuthenticatedUsers (accesses[1]): remove that access entry.',
    ]);
  });
});

describe("iam-no-project-level-data-roles", () => {
  it("passes a data role on a resource and a project-wide role that has no narrower scope", async () => {
    expect(await messagesOf("iam-no-project-level-data-roles", [subscriberGrant, metricWriterGrant])).toEqual(
      [],
    );
  });

  it("flags a data role granted on the whole project, and nothing else", async () => {
    const broken = withInput(metricWriterGrant, "role", "roles/pubsub.subscriber");
    expect((await resourceViolations(broken)).map((v) => [v.policy, v.message])).toEqual([
      [
        "iam-no-project-level-data-roles",
        `IAM grant "worker-metric-writer" gives roles/pubsub.subscriber on all of project acme-ml-prod to ${WORKER}: grant it with gcp.pubsub.SubscriptionIAMMember on the subscription instead.`,
      ],
    ]);
  });

  it.each([
    ["roles/cloudkms.cryptoKeyEncrypterDecrypter", "gcp.kms.CryptoKeyIAMMember on the key"],
    ["roles/bigtable.reader", "gcp.bigtable.InstanceIamMember on the instance"],
    ["roles/bigquery.dataEditor", "gcp.bigquery.DatasetIamMember on the dataset"],
  ])("flags %s on the project", async (role, fix) => {
    const broken = withInput(metricWriterGrant, "role", role);
    expect(await messagesOf("iam-no-project-level-data-roles", broken)).toEqual([
      `IAM grant "worker-metric-writer" gives ${role} on all of project acme-ml-prod to ${WORKER}: grant it with ${fix} instead.`,
    ]);
  });

  it("takes the role list from the pack config", async () => {
    const config = {
      "iam-no-project-level-data-roles": { perResourceRoles: ["roles/monitoring.metricWriter"] },
    };
    expect(await messagesOf("iam-no-project-level-data-roles", metricWriterGrant, config)).toEqual([
      `IAM grant "worker-metric-writer" gives roles/monitoring.metricWriter on all of project acme-ml-prod to ${WORKER}: grant it with the resource's IAM member resource instead.`,
    ]);
  });
});
