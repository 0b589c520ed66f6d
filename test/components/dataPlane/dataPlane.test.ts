/**
 * The whole data plane from the checked-in stack configs, rendered under mocks: the
 * guarantees the platform makes (CMEK everywhere in the right location, dead letters on
 * every pull subscription, per-resource grants, prod-only deletion protection, one
 * subnet/subscription/cluster per region, creation order on the first `pulumi up`).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createDataPlane, topologyOf, type DataPlane } from "../../../components";
import { installMocks, settle, type RecordedResource, type Recorder } from "../../../tools/plan/mocks";
import { stackConfig } from "../../helpers/stackConfig";

const T = {
  topic: "gcp:pubsub/topic:Topic",
  subscription: "gcp:pubsub/subscription:Subscription",
  topicMember: "gcp:pubsub/topicIAMMember:TopicIAMMember",
  subscriptionMember: "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
  instance: "gcp:bigtable/instance:Instance",
  btTable: "gcp:bigtable/table:Table",
  dataset: "gcp:bigquery/dataset:Dataset",
  bqTable: "gcp:bigquery/table:Table",
  subnet: "gcp:compute/subnetwork:Subnetwork",
  grant: "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
} as const;

const PUBSUB_AGENT = "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com";

let recorder: Recorder;
const planes: Record<string, DataPlane> = {};

beforeAll(async () => {
  recorder = await installMocks({ gcpProject: "acme-ml-prod" });
  const build = (prefix: string, config: ReturnType<typeof stackConfig>) => {
    planes[prefix] = createDataPlane(config, topologyOf(config));
  };
  build("si-prod", stackConfig("prod"));
  build("si-staging", stackConfig("staging"));
  build(
    "si-three",
    stackConfig("prod", { namePrefix: "si-three", regions: ["us-central1", "us-east1", "us-west1"] }),
  );
  await settle();
});

/** Resources of a type belonging to one plane (logical names start with its prefix). */
const of = (type: string, prefix: string): RecordedResource[] =>
  recorder.ofType(type).filter((r) => r.name.startsWith(`${prefix}-`));
const locationOfKey = (keyId: unknown) => /\/locations\/([^/]+)\//.exec(String(keyId))?.[1];
const isInspection = (s: RecordedResource) =>
  (s.inputs.labels as Record<string, string> | undefined)?.["si-role"] === "dead-letter-inspection";
const isPull = (s: RecordedResource) => s.inputs.bigqueryConfig === undefined && !isInspection(s);

describe.each(["si-prod", "si-staging", "si-three"])("data plane %s", (prefix) => {
  it("encrypts every topic with a key in the shared location and pins messages to the regions", () => {
    const topics = of(T.topic, prefix);
    expect(topics.map((t) => t.inputs.name).sort()).toEqual(
      [
        `${prefix}-events`,
        `${prefix}-events-dlq`,
        `${prefix}-predictions`,
        `${prefix}-predictions-bigquery-dlq`,
      ].sort(),
    );
    for (const topic of topics) {
      expect(locationOfKey(topic.inputs.kmsKeyName)).toBe("us");
      expect(topic.inputs.kmsKeyName).toMatch(/cryptoKeys\/pubsub$/);
      expect(topic.inputs.messageStoragePolicy).toMatchObject({ enforceInTransit: false });
      expect(topic.inputs.messageRetentionDuration).toMatch(/^\d+s$/);
    }
  });

  it("encrypts every Bigtable cluster with the key of its own region", () => {
    const [instance] = of(T.instance, prefix);
    const clusters = instance!.inputs.clusters as {
      zone: string;
      kmsKeyName: string;
      autoscalingConfig: object;
    }[];
    expect(clusters.length).toBeGreaterThan(1);
    for (const cluster of clusters) {
      const region = cluster.zone.replace(/-[a-z]$/, "");
      expect(locationOfKey(cluster.kmsKeyName)).toBe(region);
      expect(cluster.kmsKeyName).toMatch(/cryptoKeys\/bigtable$/);
      expect(cluster.autoscalingConfig).toBeDefined();
    }
  });

  it("encrypts the dataset and the predictions table with a key in the dataset's location", () => {
    const [dataset] = of(T.dataset, prefix);
    const key = (dataset!.inputs.defaultEncryptionConfiguration as { kmsKeyName: string }).kmsKeyName;
    expect(locationOfKey(key)).toBe(String(dataset!.inputs.location).toLowerCase());
    const [table] = of(T.bqTable, prefix);
    expect(table!.inputs.encryptionConfiguration).toEqual({ kmsKeyName: key });
  });

  it("gives every pull subscription a dead-letter topic, a retry policy, bounded retention and no expiry", () => {
    const subscriptions = of(T.subscription, prefix);
    const pull = subscriptions.filter(isPull);
    expect(pull.length).toBeGreaterThan(0);
    // Dead letters go to a topic of this plane whose name ends in -dlq.
    const dlqTopics = of(T.topic, prefix)
      .map((t) => String(t.inputs.name))
      .filter((n) => n.endsWith("-dlq"));
    for (const s of subscriptions.filter((x) => !isInspection(x))) {
      const dlq = s.inputs.deadLetterPolicy as { deadLetterTopic: string; maxDeliveryAttempts: number };
      expect(dlqTopics).toContain(dlq.deadLetterTopic.split("/topics/")[1]);
      expect(dlq.maxDeliveryAttempts).toBeGreaterThanOrEqual(5);
    }
    for (const s of subscriptions) {
      expect(s.inputs.retryPolicy).toMatchObject({
        minimumBackoff: expect.stringMatching(/s$/),
        maximumBackoff: expect.stringMatching(/s$/),
      });
      expect(s.inputs.expirationPolicy).toEqual({ ttl: "" });
      expect(s.inputs.enableExactlyOnceDelivery).toBe(false);
      expect(Number(String(s.inputs.messageRetentionDuration).replace(/s$/, ""))).toBeLessThanOrEqual(
        7 * 86_400,
      );
      expect(s.inputs.ackDeadlineSeconds).toBeGreaterThan(0);
    }
  });

  it("grants the Pub/Sub agent publisher on each dead-letter topic and subscriber on each dead-lettering subscription", () => {
    const dlqTopics = of(T.topic, prefix).filter((t) => String(t.inputs.name).endsWith("-dlq"));
    for (const topic of dlqTopics) {
      const grants = of(T.topicMember, prefix).filter((g) => g.inputs.topic === topic.inputs.name);
      expect(grants.map((g) => [g.inputs.role, g.inputs.member])).toEqual([
        ["roles/pubsub.publisher", PUBSUB_AGENT],
      ]);
    }
    for (const s of of(T.subscription, prefix).filter((x) => !isInspection(x))) {
      const grants = of(T.subscriptionMember, prefix).filter((g) => g.inputs.subscription === s.inputs.name);
      expect(grants.map((g) => [g.inputs.role, g.inputs.member])).toEqual([
        ["roles/pubsub.subscriber", PUBSUB_AGENT],
      ]);
    }
    const writer = recorder.get("gcp:bigquery/iamMember:IamMember", `${prefix}-analytics-agent-writer`);
    expect(writer.inputs).toMatchObject({
      tableId: "predictions",
      role: "roles/bigquery.dataEditor",
      member: PUBSUB_AGENT,
    });
  });

  it("makes each encrypted resource wait for its key grant, so the first `pulumi up` succeeds", () => {
    const grantUrn = (name: string) => recorder.get(T.grant, name).urn;
    const [instance] = of(T.instance, prefix);
    for (const region of Object.keys(planes[prefix]!.featureStore.clusterIds)) {
      expect(instance!.dependencies).toContain(grantUrn(`${prefix}-cmek-bigtable-${region}-agent`));
    }
    for (const topic of of(T.topic, prefix)) {
      expect(topic.dependencies).toContain(grantUrn(`${prefix}-cmek-pubsub-us-agent`));
    }
    // Views (the de-duplicating ones) hold no data and take no key.
    const tables = of(T.bqTable, prefix).filter((t) => t.inputs.view === undefined);
    for (const r of [...of(T.dataset, prefix), ...tables]) {
      expect(r.dependencies).toContain(grantUrn(`${prefix}-cmek-bigquery-us-agent`));
    }
  });

  it("puts a private-access subnet with flow logs in every region, and reserves the Vertex peering range", () => {
    const subnets = of(T.subnet, prefix);
    expect(subnets.map((s) => s.inputs.region)).toEqual(Object.keys(planes[prefix]!.network.subnetIds));
    for (const s of subnets) {
      expect(s.inputs.privateIpGoogleAccess).toBe(true);
      expect(s.inputs.logConfig).toMatchObject({ flowSampling: 0.5 });
    }
    const [range] = of("gcp:compute/globalAddress:GlobalAddress", prefix);
    expect(range!.inputs).toMatchObject({ purpose: "VPC_PEERING", addressType: "INTERNAL" });
    // Labelled like the rest, so the policy pack's labels-required passes without provider defaultLabels.
    expect(Object.keys(range!.inputs.labels as object)).toEqual(
      expect.arrayContaining(["env", "team", "cost-center"]),
    );
    const [peering] = of("gcp:servicenetworking/connection:Connection", prefix);
    expect(peering!.inputs).toMatchObject({
      service: "servicenetworking.googleapis.com",
      reservedPeeringRanges: [range!.inputs.name],
    });
  });
});

describe("data plane differences", () => {
  it("grants nothing project-wide", () => {
    const projectLevel = recorder.resources.filter((r) =>
      /^gcp:(projects|organizations|folder)\/i[aA][mM]/.test(r.type),
    );
    expect(projectLevel).toEqual([]);
  });

  it("protects Bigtable and BigQuery from deletion in prod, not in staging", () => {
    const protection = (prefix: string) => ({
      instance: of(T.instance, prefix)[0]!.inputs.deletionProtection,
      table: of(T.btTable, prefix)[0]!.inputs.deletionProtection,
      bqTable: of(T.bqTable, prefix)[0]!.inputs.deletionProtection,
      dropContents: of(T.dataset, prefix)[0]!.inputs.deleteContentsOnDestroy,
    });
    expect(protection("si-prod")).toEqual({
      instance: true,
      table: "PROTECTED",
      bqTable: true,
      dropContents: false,
    });
    expect(protection("si-staging")).toEqual({
      instance: false,
      table: "UNPROTECTED",
      bqTable: false,
      dropContents: true,
    });
  });

  it("adds a subnet, an events subscription and a Bigtable cluster for a third region", () => {
    const count = (prefix: string) => ({
      subnets: of(T.subnet, prefix).length,
      eventSubscriptions: of(T.subscription, prefix).filter(
        (s) => isPull(s) && String(s.inputs.name).startsWith(`${prefix}-events-`),
      ).length,
      clusters: (of(T.instance, prefix)[0]!.inputs.clusters as unknown[]).length,
    });
    expect(count("si-prod")).toEqual({ subnets: 2, eventSubscriptions: 2, clusters: 2 });
    expect(count("si-three")).toEqual({ subnets: 3, eventSubscriptions: 3, clusters: 3 });
    expect(of(T.subscription, "si-three").map((s) => s.inputs.name)).toContain("si-three-events-us-west1");
  });

  it("does not write Pub/Sub metadata columns the predictions table lacks", () => {
    const bq = of(T.subscription, "si-prod").find((s) => s.inputs.bigqueryConfig !== undefined);
    expect(bq!.inputs.bigqueryConfig).toEqual({
      table: "acme-ml-prod.si_prod_analytics.predictions",
      useTableSchema: true,
      dropUnknownFields: true,
      writeMetadata: false,
    });
  });
});
