import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, settle, valueOf, type Recorder } from "../../../tools/plan/mocks";
import { Encryption, ServiceAgents, keyPlacements, rotationPeriod } from "../../../components/encryption";
import { KNOWN_REGIONS } from "../../../components/config";

const KEY = "gcp:kms/cryptoKey:CryptoKey";
const GRANT = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember";

let recorder: Recorder;
let encryption: Encryption;

beforeAll(async () => {
  recorder = await installMocks({ gcpProject: "acme-ml-prod" });
  const agents = new ServiceAgents("agents", {});
  encryption = new Encryption("cmek", {
    prefix: "si-prod",
    deploymentId: "e7acd5",
    regions: ["us-central1", "us-east1"],
    sharedLocation: "us",
    analyticsLocation: "US",
    agents,
    rotationPeriodDays: 30,
  });
  await settle();
});

describe("Encryption", () => {
  it("creates a key per (service, location): regional services per region, shared ones in the multi-region", () => {
    const keys = encryption.keys.map((k) => `${k.service}@${k.location}`).sort();
    expect(keys).toEqual(
      [
        "aiplatform@us-central1",
        "aiplatform@us-east1",
        "artifactregistry@us",
        "bigquery@us",
        "bigtable@us-central1",
        "bigtable@us-east1",
        "pubsub@us",
        "run@us-central1",
        "run@us-east1",
      ].sort(),
    );
    expect(recorder.ofType(KEY)).toHaveLength(9);
  });

  it("puts each key in a key ring of its own location and rotates it on the configured period", async () => {
    for (const k of encryption.keys) {
      const id = await valueOf(k.id);
      expect(id).toMatch(
        new RegExp(
          `^projects/acme-ml-prod/locations/${k.location}/keyRings/si-prod-${k.location}-e7acd5/cryptoKeys/${k.service}$`,
        ),
      );
    }
    for (const key of recorder.ofType(KEY)) {
      expect(key.inputs.rotationPeriod).toBe(`${30 * 86_400}s`);
      expect(key.inputs.purpose).toBe("ENCRYPT_DECRYPT");
    }
    const ringLocations = recorder.ofType("gcp:kms/keyRing:KeyRing").map((r) => r.inputs.location);
    expect(ringLocations.sort()).toEqual(["us", "us-central1", "us-east1"]);
  });

  it("grants encrypter/decrypter on each key to exactly that service's agent, and never project-wide", async () => {
    const grants = recorder.ofType(GRANT);
    expect(grants).toHaveLength(encryption.keys.length);
    for (const k of encryption.keys) {
      const grant = recorder.get(GRANT, `cmek-${k.service}-${k.location}-agent`);
      expect(grant.inputs.role).toBe("roles/cloudkms.cryptoKeyEncrypterDecrypter");
      expect(grant.inputs.cryptoKeyId).toBe(await valueOf(k.id));
    }
    const member = (service: string, location: string) =>
      recorder.get(GRANT, `cmek-${service}-${location}-agent`).inputs.member;
    expect(member("pubsub", "us")).toBe(
      "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com",
    );
    expect(member("bigtable", "us-east1")).toBe(
      "serviceAccount:service-123456789012@gcp-sa-bigtable.iam.gserviceaccount.com",
    );
    expect(member("bigquery", "us")).toBe(
      "serviceAccount:bq-123456789012@bigquery-encryption.iam.gserviceaccount.com",
    );
    expect(member("run", "us-central1")).toBe(
      "serviceAccount:service-123456789012@serverless-robot-prod.iam.gserviceaccount.com",
    );
    expect(recorder.resources.filter((r) => r.type.startsWith("gcp:projects/iAM"))).toEqual([]);
  });

  it("keyFor returns the key with its grant, and names the existing locations when asked for a wrong one", () => {
    const key = encryption.keyFor("bigtable", "us-east1");
    expect(key.grant).toBeInstanceOf(pulumi.CustomResource);
    expect(() => encryption.keyFor("bigtable", "us")).toThrow(
      'Encryption has no bigtable key in "us"; bigtable keys exist in: us-central1, us-east1.',
    );
  });
});

describe("key placement and rotation", () => {
  it("keeps the BigQuery key in the dataset's own location, even a regional one", () => {
    const placements = keyPlacements({
      regions: ["us-central1", "us-east1"],
      sharedLocation: "us",
      analyticsLocation: "us-central1",
      services: ["bigquery", "pubsub"],
    });
    expect(placements).toEqual([
      { service: "bigquery", location: "us-central1" },
      { service: "pubsub", location: "us" },
    ]);
  });

  it("gives Artifact Registry per-region keys when the shared location is global (it has no global location)", () => {
    const placements = keyPlacements({
      regions: ["us-central1", "europe-west1"],
      sharedLocation: "global",
      analyticsLocation: "us-central1",
      services: ["artifactregistry", "pubsub"],
    });
    expect(placements.map((p) => `${p.service}@${p.location}`)).toEqual([
      "artifactregistry@us-central1",
      "artifactregistry@europe-west1",
      "pubsub@global",
    ]);
  });

  it("rejects a rotation period over 90 days or under one day, naming the fix", () => {
    expect(rotationPeriod()).toBe("7776000s");
    expect(() => rotationPeriod(91)).toThrow(
      /rotationPeriodDays is 91; .*from 1 to 90.*Set rotationPeriodDays to 90 or less/,
    );
    expect(() => rotationPeriod(0)).toThrow(/rotationPeriodDays is 0/);
    expect(() => rotationPeriod(1.5)).toThrow(/whole number/);
  });

  it("places every regional service's key in every region, for any known region set", () => {
    for (const region of KNOWN_REGIONS) {
      const placements = keyPlacements({
        regions: [region],
        sharedLocation: "global",
        analyticsLocation: region,
        services: ["bigtable", "run", "aiplatform"],
      });
      expect(placements.every((p) => p.location === region)).toBe(true);
    }
  });
});
