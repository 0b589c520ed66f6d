/**
 * The conformance check on fixture resources: a field or enum value outside the public proto is
 * refused with the resource, the field and the proto named; the provider's renames are applied first.
 */
import { describe, expect, it } from "vitest";
import { conformanceFindings, MAPPINGS, toApiMessage } from "../../../tools/conformance/conformance";
import type { RecordedResource } from "../../../tools/plan/mocks";

const POOL = "gcp:cloudrunv2/workerPool:WorkerPool";

function resource(type: string, name: string, inputs: Record<string, unknown>): RecordedResource {
  return { urn: `urn:pulumi:s::p::${type}::${name}`, type, name, custom: true, inputs, dependencies: [] };
}

const pool = (scaling: Record<string, unknown>) =>
  resource(POOL, "worker-pool", {
    name: "si-prod-worker-us-central1",
    location: "us-central1",
    project: "acme-ml-prod",
    deletionProtection: false,
    launchStage: "GA",
    scaling,
    template: {
      containers: [{ image: "us-docker.pkg.dev/p/r/worker@sha256:abc", envs: [{ name: "A", value: "1" }] }],
      serviceAccount: "worker@acme-ml-prod.iam.gserviceaccount.com",
    },
  });

describe("conformance with Google's protos", () => {
  it("passes a worker pool that sends only manualInstanceCount (envs mapped to env)", () => {
    expect(conformanceFindings([pool({ manualInstanceCount: 2 })])).toEqual([]);
  });

  it("refuses scaling.scalingMode on a worker pool, naming the resource, the field and the proto", () => {
    const findings = conformanceFindings([
      pool({ scalingMode: "AUTOMATIC", minInstanceCount: 1, maxInstanceCount: 4 }),
    ]);
    expect(findings.map((f) => f.field)).toEqual([
      "scaling.scalingMode",
      "scaling.minInstanceCount",
      "scaling.maxInstanceCount",
    ]);
    expect(findings[0]).toMatchObject({
      resource: "worker-pool",
      type: POOL,
      proto: "google.cloud.run.v2.WorkerPool (@google-cloud/run)",
    });
    expect(findings[0]!.message).toContain(
      'message google.cloud.run.v2.WorkerPoolScaling has no field "scalingMode"',
    );
  });

  it("refuses an enum value the proto does not list", () => {
    const findings = conformanceFindings([
      resource("gcp:kms/cryptoKey:CryptoKey", "key", {
        keyRing: "r",
        name: "k",
        purpose: "ENCRYPT_EVERYTHING",
      }),
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toMatch(
      /"ENCRYPT_EVERYTHING" is not a value of enum google\.cloud\.kms\.v1\.CryptoKey\.CryptoKeyPurpose/,
    );
  });

  it("maps the SLO's flattened indicator and rolling period as magic-modules Slo.yaml does", () => {
    const mapping = MAPPINGS["gcp:monitoring/slo:Slo"]!;
    expect(
      toApiMessage(
        {
          service: "s",
          sloId: "x",
          goal: 0.9,
          rollingPeriodDays: 28,
          requestBasedSli: { goodTotalRatio: {} },
        },
        mapping,
      ),
    ).toEqual({
      goal: 0.9,
      rollingPeriod: "2419200s",
      serviceLevelIndicator: { requestBased: { goodTotalRatio: {} } },
    });
    const bad = conformanceFindings([
      resource("gcp:monitoring/slo:Slo", "slo", {
        service: "s",
        goal: 0.9,
        rollingPeriodDays: 28,
        requestBasedSli: { goodRatio: {} },
      }),
    ]);
    expect(bad.map((f) => f.field)).toEqual(["serviceLevelIndicator.requestBased.goodRatio"]);
  });

  it("refuses a dashboard JSON the API would store differently", () => {
    const findings = conformanceFindings([
      resource("gcp:monitoring/dashboard:Dashboard", "dash", {
        dashboardJson: JSON.stringify({
          displayName: "d",
          mosaicLayout: { columns: 48, tiles: [{ xPos: 0, width: 24 }] },
        }),
      }),
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toMatch(/^mosaicLayout\.tiles\[0\]\.xPos: 0 -> undefined/);
    expect(findings[0]!.proto).toBe(
      "google.monitoring.dashboard.v1.Dashboard (@google-cloud/monitoring-dashboards)",
    );
  });
});
