/** The whole platform from the prod stack config, rendered under mocks: how serving is wired. */
import { beforeAll, describe, expect, it } from "vitest";
import { FAKE_PROJECT_NUMBER } from "../../tools/plan/fakeState";
import { installMocks, settle, valueOf, type Recorder } from "../../tools/plan/mocks";
import * as pulumi from "@pulumi/pulumi";
import { StreamingInferencePlatform } from "../../components";
import { stackConfig } from "../helpers/stackConfig";

let recorder: Recorder;
let platform: StreamingInferencePlatform;

const POOL = "gcp:cloudrunv2/workerPool:WorkerPool";
const ENDPOINT = "gcp:vertex/aiEndpoint:AiEndpoint";
const DEPLOYMENT = "pulumi-nodejs:dynamic/vertex:ModelDeployment";

beforeAll(async () => {
  recorder = await installMocks({ gcpProject: "acme-ml-prod", stack: "prod" });
  platform = new StreamingInferencePlatform("si-prod", { config: stackConfig("prod") });
  await settle();
});

describe("StreamingInferencePlatform (prod: standby, warm standby endpoint)", () => {
  it("serves from a private, CMEK-encrypted endpoint in every region (the standby one warm)", () => {
    const endpoints = recorder.ofType(ENDPOINT);
    expect(endpoints.map((e) => e.inputs.location)).toEqual(["us-central1", "us-east1"]);
    for (const e of endpoints) {
      expect(e.inputs.encryptionSpec).toEqual({
        kmsKeyName: `projects/acme-ml-prod/locations/${e.inputs.location}/keyRings/si-prod-${e.inputs.location}-e7acd5/cryptoKeys/aiplatform`,
      });
      // Private Service Connect (prod's connectivity), with PSC automation in the platform VPC.
      expect(e.inputs.network).toBeUndefined();
      expect(e.inputs.privateServiceConnectConfig).toEqual({
        enablePrivateServiceConnect: true,
        projectAllowlists: ["acme-ml-prod"],
        pscAutomationConfigs: [
          { projectId: "acme-ml-prod", network: "projects/acme-ml-prod/global/networks/si-prod-vpc" },
        ],
      });
      expect(e.inputs.name).toMatch(/^[1-9]\d{9}$/);
    }
  });

  it("deploys the configured model on the configured GPU machine to each endpoint", () => {
    const deployments = recorder.ofType(DEPLOYMENT);
    expect(deployments).toHaveLength(2);
    expect(deployments[0]?.inputs).toMatchObject({
      machineType: "g2-standard-8",
      acceleratorType: "NVIDIA_L4",
      acceleratorCount: 1,
      minReplicas: 2,
      maxReplicas: 8,
      dutyCycleTarget: 60,
      artifactUri: "gs://acme-ml-prod-models/fraud-scorer/v7",
      endpoint: expect.stringMatching(/^projects\/acme-ml-prod\/locations\/us-central1\/endpoints\/\d{10}$/),
    });
  });

  it("runs one worker pool, in the active region, inside the VPC, as its own account, with CMEK", async () => {
    const [pool, ...others] = recorder.ofType(POOL);
    expect(others).toHaveLength(0);
    const template = pool?.inputs.template as Record<string, unknown> & {
      containers: { image: string; envs: { name: string; value: string }[] }[];
    };
    expect(pool?.inputs.location).toBe("us-central1");
    expect(template.vpcAccess).toEqual({
      egress: "ALL_TRAFFIC",
      networkInterfaces: [
        { subnetwork: "projects/acme-ml-prod/regions/us-central1/subnetworks/si-prod-us-central1" },
      ],
    });
    expect(template.serviceAccount).toBe("si-prod-wk-usc1@acme-ml-prod.iam.gserviceaccount.com");
    expect(template.encryptionKey).toMatch(
      /locations\/us-central1\/keyRings\/si-prod-us-central1-e7acd5\/cryptoKeys\/run$/,
    );
    expect(template.containers[0]?.image).toMatch(
      /^us-docker\.pkg\.dev\/acme-ml-prod\/si-prod-worker\/worker@sha256:/,
    );
    const env = Object.fromEntries(template.containers[0]!.envs.map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      SI_INPUT_SUBSCRIPTION: "si-prod-events-us-central1",
      SI_VERTEX_ENDPOINT_ID: recorder.ofType(ENDPOINT)[0]?.inputs.name,
      SI_VERTEX_LOCATION: "us-central1",
      SI_METRICS_EXPORTER: "cloud-monitoring",
      // messaging.ackDeadlineSeconds reaches the worker's leases; streams from worker.pullStreams (default).
      SI_ACK_DEADLINE_SECONDS: "60",
      SI_PULL_STREAMS: "2",
      // The route to the model comes from the deployment's outputs: HTTP (endpoint.predictProtocol's
      // default) at the PSC address, on the endpoint's :predict path.
      SI_VERTEX_PROTOCOL: "http",
      // By the endpoint's name under prediction.p.vertexai.goog (the VPC's private zone), TLS for
      // its self-signed certificate unverified (no endpoint.pscCertificate in this stack).
      SI_VERTEX_PREDICT_URL: `https://${String(recorder.ofType(ENDPOINT)[0]?.inputs.name)}-us-central1-${FAKE_PROJECT_NUMBER}.prediction.p.vertexai.goog/v1/${String(recorder.ofType(DEPLOYMENT)[0]?.inputs.endpoint)}:predict`,
      SI_VERTEX_PSC_TLS: "unverified",
      SI_MAX_REQUEST_BYTES: "9500000",
      NODE_OPTIONS: "--max-old-space-size=1228", // 60% of prod's 2Gi
    });
    expect(await valueOf(platform.workerPools)).toEqual({ "us-central1": "si-prod-worker-us-central1" });
  });

  it("grants the worker roles on its own resources only; project-wide just metric and log writing", () => {
    const member = "serviceAccount:si-prod-wk-usc1@acme-ml-prod.iam.gserviceaccount.com";
    const grants = recorder.resources.filter((r) => r.inputs.member === member);
    const summary = grants.map(
      (g) =>
        `${g.type.split(":").pop()} ${g.inputs.role} ${String(g.inputs.subscription ?? g.inputs.topic ?? g.inputs.instance ?? g.inputs.endpoint ?? "project")}`,
    );
    expect(summary.sort()).toEqual(
      [
        "AiEndpointIamMember roles/aiplatform.user " + String(recorder.ofType(ENDPOINT)[0]?.inputs.name),
        "IAMMember roles/logging.logWriter project",
        "IAMMember roles/monitoring.metricWriter project",
        "IAMMember roles/telemetry.metricsWriter project",
        "InstanceIamMember roles/bigtable.reader si-prod-features",
        "SubscriptionIAMMember roles/pubsub.subscriber si-prod-events-us-central1",
        "SubscriptionIAMMember roles/pubsub.viewer si-prod-events-us-central1",
        "TopicIAMMember roles/pubsub.publisher si-prod-events-dlq",
        "TopicIAMMember roles/pubsub.publisher si-prod-predictions",
        "TopicIAMMember roles/pubsub.viewer si-prod-events-dlq",
        "TopicIAMMember roles/pubsub.viewer si-prod-predictions",
      ].sort(),
    );
  });

  it("grants no basic role anywhere", () => {
    const roles = recorder.resources.map((r) => r.inputs.role).filter((r) => r !== undefined);
    expect(roles.length).toBeGreaterThan(10);
    expect(roles.filter((r) => ["roles/owner", "roles/editor", "roles/viewer"].includes(String(r)))).toEqual(
      [],
    );
  });

  it("exposes what a consumer needs", async () => {
    expect(await valueOf(platform.eventsTopic)).toBe("si-prod-events");
    expect(await valueOf(platform.eventsSubscriptions)).toEqual({
      "us-central1": "si-prod-events-us-central1",
      "us-east1": "si-prod-events-us-east1",
    });
    expect(Object.keys(await valueOf(platform.endpointIds))).toEqual(["us-central1", "us-east1"]);
    expect(await valueOf(platform.dashboardUrl)).toMatch(
      /^https:\/\/console\.cloud\.google\.com\/monitoring\/dashboards\/custom\//,
    );
  });

  it("stops on invalid settings with the config model's message, naming the path the program wrote, no stack", () => {
    let error: unknown;
    try {
      new StreamingInferencePlatform("bad", {
        config: { ...stackConfig("prod"), activeRegion: "europe-west1" },
      });
    } catch (err) {
      error = err;
    }
    expect(pulumi.ResourceError.isInstance(error)).toBe(true);
    expect((error as pulumi.ResourceError).hideStack).toBe(true);
    expect((error as Error).message).toMatch(
      /^StreamingInferencePlatform bad: invalid settings:\n {2}- config\.activeRegion is "europe-west1"/,
    );
    expect((error as Error).message).not.toContain("streaming-inference:");
  });
});
