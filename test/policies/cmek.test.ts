import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { runPolicies, type PlannedResource } from "../../policies/src";
import { cmekTableKeyLocation } from "../../policies/src/cmek";
import {
  KEYS,
  bigqueryTable,
  bigtableInstance,
  dataset,
  endpoint,
  modelDeployment,
  repository,
  topic,
  workerPool,
} from "./fixtures/compliantResources";
import { messagesOf, resourceViolations, withInput } from "./harness";

describe("cmek-required", () => {
  it("passes resources that name a key", async () => {
    const all = [
      topic,
      bigtableInstance,
      dataset,
      bigqueryTable,
      endpoint,
      repository,
      workerPool,
      modelDeployment,
    ];
    expect(await messagesOf("cmek-required", all)).toEqual([]);
  });

  it.each([
    [
      topic,
      "kmsKeyName",
      'Pub/Sub topic "events-topic" names no KMS key: set kmsKeyName to a Cloud KMS key in "us" or "global".',
    ],
    [
      bigtableInstance,
      "clusters.1.kmsKeyName",
      'Bigtable instance "features-instance" cluster "si-prod-us-east1" names no KMS key: set clusters[1].kmsKeyName to a Cloud KMS key in "us-east1".',
    ],
    [
      dataset,
      "defaultEncryptionConfiguration",
      'BigQuery dataset "predictions-dataset" names no KMS key: set defaultEncryptionConfiguration.kmsKeyName to a Cloud KMS key in "us".',
    ],
    [
      bigqueryTable,
      "encryptionConfiguration",
      'BigQuery table "predictions-table" names no KMS key: set encryptionConfiguration.kmsKeyName to a Cloud KMS key.',
    ],
    [
      endpoint,
      "encryptionSpec",
      'Vertex AI endpoint "endpoint-us-central1" names no KMS key: set encryptionSpec.kmsKeyName to a Cloud KMS key in "us-central1".',
    ],
    [
      repository,
      "kmsKeyName",
      'Artifact Registry repository "worker-repository" names no KMS key: set kmsKeyName to a Cloud KMS key in "us".',
    ],
    [
      workerPool,
      "template.encryptionKey",
      'Cloud Run worker pool "worker-us-central1" names no KMS key: set template.encryptionKey to a Cloud KMS key in "us-central1".',
    ],
    [
      modelDeployment,
      "kmsKeyName",
      'Model deployment "model-us-central1" names no KMS key: set kmsKeyName to a Cloud KMS key in "us-central1".',
    ],
  ])("flags a %s without a key", async (resource, path, message) => {
    const broken = withInput(resource, path, undefined);
    expect(await messagesOf("cmek-required", broken)).toEqual([message]);
    // ...and nothing else: a missing key is not also a misplaced one.
    expect((await resourceViolations(broken)).map((v) => v.policy)).toEqual(["cmek-required"]);
  });

  it("flags a key reference that is not a key name", async () => {
    const broken = withInput(topic, "kmsKeyName", "projects/acme-ml-prod/locations/us/keyRings/si-prod");
    expect(await messagesOf("cmek-required", broken)).toEqual([
      'Pub/Sub topic "events-topic" has kmsKeyName "projects/acme-ml-prod/locations/us/keyRings/si-prod", which is not a key name: use projects/<project>/locations/<location>/keyRings/<ring>/cryptoKeys/<key>.',
    ]);
  });

  it("accepts a key that is unknown until the key exists (preview)", async () => {
    const preview = withInput(endpoint, "encryptionSpec.kmsKeyName", pulumi.runtime.unknownValue);
    expect(await resourceViolations(preview)).toEqual([]);
  });
});

describe("cmek-key-location", () => {
  it("passes keys in the resource's region, its multi-region, or global for a topic", async () => {
    const globalTopic = withInput(topic, "kmsKeyName", KEYS.global);
    // BigQuery's EU multi-region is Cloud KMS's "europe".
    const euDataset = withInput(
      withInput(dataset, "location", "EU"),
      "defaultEncryptionConfiguration.kmsKeyName",
      KEYS.us.replace("/locations/us/", "/locations/europe/"),
    );
    const all = [
      topic,
      globalTopic,
      euDataset,
      bigtableInstance,
      dataset,
      endpoint,
      repository,
      workerPool,
      modelDeployment,
    ];
    expect(await messagesOf("cmek-key-location", all)).toEqual([]);
  });

  it.each([
    [
      withInput(topic, "kmsKeyName", KEYS.usCentral1),
      'Pub/Sub topic "events-topic" stores messages in us-central1, us-east1, but its key (kmsKeyName) is in "us-central1": use a key in "us" or "global".',
    ],
    [
      withInput(withInput(topic, "messageStoragePolicy", undefined), "kmsKeyName", KEYS.us),
      'Pub/Sub topic "events-topic" has no message storage policy (messages may be stored in any region), but its key (kmsKeyName) is in "us": use a key in "global".',
    ],
    [
      withInput(bigtableInstance, "clusters.0.kmsKeyName", KEYS.usEast1),
      'Bigtable instance "features-instance" cluster "si-prod-us-central1" is in us-central1, but its key (clusters[0].kmsKeyName) is in "us-east1": use a key in "us-central1".',
    ],
    [
      withInput(dataset, "location", "EU"),
      'BigQuery dataset "predictions-dataset" is in europe, but its key (defaultEncryptionConfiguration.kmsKeyName) is in "us": use a key in "europe".',
    ],
    [
      withInput(endpoint, "encryptionSpec.kmsKeyName", KEYS.us),
      'Vertex AI endpoint "endpoint-us-central1" is in us-central1, but its key (encryptionSpec.kmsKeyName) is in "us": use a key in "us-central1".',
    ],
    [
      withInput(repository, "location", "us-central1"),
      'Artifact Registry repository "worker-repository" is in us-central1, but its key (kmsKeyName) is in "us": use a key in "us-central1".',
    ],
    [
      withInput(workerPool, "location", "us-east1"),
      'Cloud Run worker pool "worker-us-central1" is in us-east1, but its key (template.encryptionKey) is in "us-central1": use a key in "us-east1".',
    ],
  ])("flags a misplaced key (%#)", async (broken, message) => {
    expect(await messagesOf("cmek-key-location", broken)).toEqual([message]);
    expect((await resourceViolations(broken)).map((v) => v.policy)).toEqual(["cmek-key-location"]);
  });

  it("treats BigQuery's default location as US", async () => {
    const defaulted = withInput(
      withInput(dataset, "location", undefined),
      "defaultEncryptionConfiguration.kmsKeyName",
      KEYS.usCentral1,
    );
    expect(await messagesOf("cmek-key-location", defaulted)).toEqual([
      'BigQuery dataset "predictions-dataset" is in us, but its key (defaultEncryptionConfiguration.kmsKeyName) is in "us-central1": use a key in "us".',
    ]);
  });

  it("does not judge the location of a key unknown at preview", async () => {
    const preview = withInput(topic, "kmsKeyName", pulumi.runtime.unknownValue);
    expect(await messagesOf("cmek-key-location", preview)).toEqual([]);
  });
});

describe("cmek-table-key-location (stack)", () => {
  const check = (resources: PlannedResource[]) =>
    runPolicies(resources, { policies: [cmekTableKeyLocation] }).then((vs) => vs.map((v) => v.message));

  it("passes a table whose key is in its dataset's location", async () => {
    expect(await check([dataset, bigqueryTable])).toEqual([]);
  });

  it("flags a table whose key is elsewhere", async () => {
    const broken = withInput(bigqueryTable, "encryptionConfiguration.kmsKeyName", KEYS.usCentral1);
    expect(await check([dataset, broken])).toEqual([
      'BigQuery table "predictions-table" is in dataset predictions (us), but its key (encryptionConfiguration.kmsKeyName) is in "us-central1": use a key in "us".',
    ]);
  });

  it("leaves a table whose dataset is not in the stack alone", async () => {
    const elsewhere = withInput(bigqueryTable, "datasetId", "shared");
    expect(
      await check([dataset, withInput(elsewhere, "encryptionConfiguration.kmsKeyName", KEYS.usCentral1)]),
    ).toEqual([]);
  });
});
