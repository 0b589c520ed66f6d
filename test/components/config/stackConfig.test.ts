import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  parsePlatformConfig,
  projectKeys,
  readStackFile,
  topologyOf,
  type PlatformConfigInput,
} from "../../../components/config";

const root = path.resolve(__dirname, "../../..");
/** The tests' own copies of the stacks (a user's edits to Pulumi.*.yaml must not break them). */
const fixtures = path.join(root, "test", "fixtures", "stacks");
const stackInput = (stack: string, dir = fixtures) =>
  projectKeys(readStackFile(path.join(dir, `Pulumi.${stack}.yaml`))) as PlatformConfigInput;

/** Parses the prod stack with one change applied, returning the error's problems. */
function problemsWith(change: (c: Record<string, unknown> & PlatformConfigInput) => void): readonly string[] {
  const input = structuredClone(stackInput("prod")) as Record<string, unknown> & PlatformConfigInput;
  change(input);
  try {
    parsePlatformConfig(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error("expected the config to be rejected");
}

describe("stack config files", () => {
  it.each(["staging", "prod"])("the checked-in Pulumi.%s.yaml validates", (stack) => {
    const config = parsePlatformConfig(stackInput(stack, root));
    expect(config.environment).toBe(stack);
    expect(config.regions).toHaveLength(2);
  });

  it("applies defaults for omitted sections", () => {
    const input = stackInput("staging") as Record<string, unknown>;
    delete input.network;
    delete input.messaging;
    const config = parsePlatformConfig(input);
    expect(config.network.baseCidr).toBe("10.10.0.0/16");
    expect(config.messaging.maxDeliveryAttempts).toBe(5);
  });
});

describe("config errors name the key, the value and what is allowed", () => {
  it("unknown region", () => {
    expect(problemsWith((c) => (c.regions = ["us-central1", "us-moon1" as never]))).toEqual([
      expect.stringMatching(
        /^streaming-inference:regions\[1\] is "us-moon1"; allowed: "us-central1", "us-east1"/,
      ),
    ]);
  });

  it("activeRegion not among the regions", () => {
    expect(problemsWith((c) => (c.activeRegion = "us-west1"))).toEqual([
      'streaming-inference:activeRegion is "us-west1": must be one of the configured regions: us-central1, us-east1',
    ]);
  });

  it("gRPC on a peering endpoint (Vertex serves peering over HTTP only)", () => {
    expect(
      problemsWith((c) => (c.endpoint = { ...c.endpoint, connectivity: "peering", predictProtocol: "grpc" })),
    ).toEqual([
      'streaming-inference:endpoint.predictProtocol is "grpc": must be http with endpoint.connectivity peering (peering takes no gRPC)',
    ]);
  });

  it("min replicas above max replicas", () => {
    expect(problemsWith((c) => (c.model.minReplicas = 9))).toEqual([
      "streaming-inference:model.minReplicas is 9: must not exceed model.maxReplicas (8)",
    ]);
  });

  it("accelerator not valid for the machine family", () => {
    expect(problemsWith((c) => (c.model.acceleratorType = "NVIDIA_TESLA_T4"))).toEqual([
      'streaming-inference:model.acceleratorType is "NVIDIA_TESLA_T4": accelerator "NVIDIA_TESLA_T4" cannot be attached to g2-standard-8; allowed: NVIDIA_L4',
    ]);
  });

  it("wrong accelerator count for a fixed-GPU machine", () => {
    expect(problemsWith((c) => (c.model.acceleratorCount = 2))).toEqual([
      expect.stringContaining("g2-standard-8 comes with exactly 1 NVIDIA_L4; set acceleratorCount to 1"),
    ]);
  });

  it("machine type that serves no GPU", () => {
    expect(problemsWith((c) => (c.model.machineType = "e2-standard-4"))).toEqual([
      expect.stringContaining('machine type "e2-standard-4" is not a GPU machine type'),
    ]);
  });

  it("an N1 machine Vertex AI prediction does not offer: n1-standard-96 + 1 x T4 (the policy pack's table too)", () => {
    expect(
      problemsWith(
        (c) => (c.model = { ...c.model, machineType: "n1-standard-96", acceleratorType: "NVIDIA_TESLA_T4" }),
      ),
    ).toEqual([
      expect.stringContaining(
        'machine type "n1-standard-96" is not a GPU machine type Vertex AI prediction takes',
      ),
    ]);
  });

  it("a3-highgpu-8g + 8 x H100 is a machine Vertex AI takes", () => {
    const input = structuredClone(stackInput("prod"));
    input.model = {
      ...input.model,
      machineType: "a3-highgpu-8g",
      acceleratorType: "NVIDIA_H100_80GB",
      acceleratorCount: 8,
    };
    expect(parsePlatformConfig(input).model.machineType).toBe("a3-highgpu-8g");
  });

  it("a misspelt key gets a suggestion, at the top level and inside a section", () => {
    expect(
      problemsWith((c) => {
        (c as Record<string, unknown>).failovrMode = "standby";
        delete (c as Partial<PlatformConfigInput>).failoverMode;
        (c.model as Record<string, unknown>).dutyCycleTarge = 70;
        delete (c.model as Record<string, unknown>).dutyCycleTarget;
      }),
    ).toEqual([
      'streaming-inference:model has unknown key(s) "dutyCycleTarge"; did you mean "dutyCycleTarget" for "dutyCycleTarge"? remove them or fix the spelling',
      'streaming-inference has unknown key(s) "failovrMode"; did you mean "failoverMode" for "failovrMode"? remove them or fix the spelling',
    ]);
    // A stray next to the key it resembles is not taken for a typo of it.
    expect(problemsWith((c) => ((c.model as Record<string, unknown>).maxReplica = 3))).toEqual([
      'streaming-inference:model has unknown key(s) "maxReplica"; remove them or fix the spelling',
    ]);
  });

  it("a misspelt region gets a suggestion", () => {
    expect(problemsWith((c) => (c.regions = ["us-central1", "us-eats1" as never]))).toEqual([
      expect.stringMatching(
        /^streaming-inference:regions\[1\] is "us-eats1"; did you mean "us-east1"\?; allowed: "us-central1"/,
      ),
    ]);
  });

  it("a value that fails a pattern is named as the problem, not the pattern", () => {
    expect(problemsWith((c) => (c.model.artifactUri = "s3://bucket/model"))).toEqual([
      'streaming-inference:model.artifactUri is "s3://bucket/model": must be a gs:// URI',
    ]);
  });

  it("reports a cross-field error together with a per-field error elsewhere", () => {
    expect(
      problemsWith((c) => {
        c.alerts.notificationEmails = ["oncall.acme.example"];
        c.activeRegion = "us-west1";
      }),
    ).toEqual([
      'streaming-inference:alerts.notificationEmails[0] is "oncall.acme.example", which is not a valid e-mail address',
      'streaming-inference:activeRegion is "us-west1": must be one of the configured regions: us-central1, us-east1',
    ]);
  });

  it("batch size out of range", () => {
    expect(problemsWith((c) => (c.worker = { ...c.worker, maxBatchSize: 5000 }))).toEqual([
      "streaming-inference:worker.maxBatchSize is 5000; the value must be <= 1000",
    ]);
    expect(problemsWith((c) => (c.worker = { ...c.worker, maxBatchSize: 0 }))).toEqual([
      "streaming-inference:worker.maxBatchSize is 0; the value must be >= 1",
    ]);
  });

  it("retention too long", () => {
    expect(
      problemsWith((c) => (c.messaging = { ...c.messaging, messageRetentionSeconds: 31 * 86400 })),
    ).toEqual([
      "streaming-inference:messaging.messageRetentionSeconds is 2678400; the value must be <= 604800",
    ]);
  });

  it("malformed e-mail", () => {
    expect(problemsWith((c) => (c.alerts.notificationEmails = ["oncall.acme.example"]))).toEqual([
      'streaming-inference:alerts.notificationEmails[0] is "oncall.acme.example", which is not a valid e-mail address',
    ]);
  });

  it("missing required key", () => {
    expect(problemsWith((c) => delete (c as Partial<PlatformConfigInput>).projectId)).toEqual([
      "streaming-inference:projectId is required (string); set it in Pulumi.<stack>.yaml or with `pulumi config set`",
    ]);
  });

  it("misspelt key", () => {
    expect(problemsWith((c) => (c.activeRegon = "us-east1"))).toEqual([
      'streaming-inference has unknown key(s) "activeRegon"; remove them or fix the spelling',
    ]);
  });

  it("regions that share no multi-region need an explicit analytics location", () => {
    expect(problemsWith((c) => (c.regions = ["us-central1", "europe-west1"]))).toEqual([
      "streaming-inference:analytics.location is not set: is required when the regions (us-central1, europe-west1) do not share one multi-region (US or EU)",
    ]);
  });

  it("model spec: array instances without declared features", () => {
    expect(problemsWith((c) => (c.model.instanceShape = "array"))).toEqual([
      'streaming-inference:model.instanceShape is "array": array instances are ordered by the declared features: declare model.features',
    ]);
  });

  it("model spec: missingFeatures other than refuse or flag", () => {
    const problems = problemsWith((c) => (c.model.missingFeatures = "ignore" as never));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('streaming-inference:model.missingFeatures is "ignore"');
    expect(problems[0]).toContain("refuse");
  });

  it("model spec: a default of the wrong type, a duplicate feature", () => {
    const problems = problemsWith(
      (c) =>
        (c.model.features = [
          { name: "plan", type: "string", default: 3 },
          { name: "plan", type: "number" },
        ]),
    );
    expect(problems).toEqual([
      expect.stringContaining("streaming-inference:model.features[0].default"),
      expect.stringContaining('declares "plan" twice'),
    ]);
    expect(problems[0]).toContain("must be a string (the feature's type), got number 3");
  });

  it("lists every problem at once", () => {
    const problems = problemsWith((c) => {
      c.worker = { ...c.worker, maxInFlight: 0 };
      c.alerts.notificationEmails = ["x"];
    });
    expect(problems).toHaveLength(2);
  });
});

describe("topology", () => {
  it("derives names, locations and protection from the config", () => {
    const prod = topologyOf(parsePlatformConfig(stackInput("prod")));
    expect(prod).toMatchObject({
      prefix: "si-prod",
      workerRegions: ["us-central1"],
      endpointRegions: ["us-central1", "us-east1"], // warm standby in prod
      sharedKeyLocation: "us",
      analyticsLocation: "US",
      deletionProtection: true,
      subnetCidrs: { "us-central1": "10.30.0.0/20", "us-east1": "10.30.16.0/20" },
    });
    const staging = topologyOf(parsePlatformConfig(stackInput("staging")));
    expect(staging.deletionProtection).toBe(false);
    expect(staging.endpointRegions).toEqual(["us-central1"]);
  });

  it("active-active runs a worker in every region", () => {
    const input = stackInput("staging");
    input.failoverMode = "active-active";
    expect(topologyOf(parsePlatformConfig(input)).workerRegions).toEqual(["us-central1", "us-east1"]);
  });

  it("regions across areas keep shared keys global", () => {
    const input = stackInput("staging");
    input.regions = ["us-central1", "europe-west1"];
    input.analytics = { location: "us-central1" };
    const topology = topologyOf(parsePlatformConfig(input));
    expect(topology.sharedKeyLocation).toBe("global");
    expect(topology.analyticsLocation).toBe("us-central1");
  });
});

describe("European regions", () => {
  it("keep analytics in BigQuery's EU and shared keys in Cloud KMS's europe", () => {
    const input = stackInput("staging");
    input.regions = ["europe-west1", "europe-west4"];
    input.activeRegion = "europe-west1";
    const topology = topologyOf(parsePlatformConfig(input));
    expect(topology.analyticsLocation).toBe("EU");
    expect(topology.sharedKeyLocation).toBe("europe");
  });
});
