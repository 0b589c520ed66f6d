import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, settle, valueOf, type Recorder } from "../../../tools/plan/mocks";
import { Observability, budgetSpent, BURN_RATE_WINDOWS } from "../../../components/observability";
import { WORKER_METRICS, metricType } from "../../../contract";

const SLO = "gcp:monitoring/slo:Slo";
const ALERT = "gcp:monitoring/alertPolicy:AlertPolicy";
const CHANNEL = "gcp:monitoring/notificationChannel:NotificationChannel";

const alerts = {
  freshnessGoal: 0.9,
  freshnessThresholdSeconds: 180,
  correctnessGoal: 0.995,
  oldestUnackedMessageSeconds: 300,
  vertexErrorRatePercent: 5,
  vertexLatencyP99Ms: 1000,
  notificationEmails: ["oncall@acme.example", "sre@acme.example"],
};

let recorder: Recorder;
let observability: Observability;

interface Condition {
  displayName: string;
  conditionThreshold?: Record<string, unknown> & { filter: string; thresholdValue: number };
  conditionAbsent?: Record<string, unknown> & { filter: string };
}
function policy(key: string) {
  return recorder.get(ALERT, `obs-alert-${key}`).inputs as {
    enabled: boolean;
    combiner: string;
    severity: string;
    conditions: Condition[];
    notificationChannels: string[];
  };
}

beforeAll(async () => {
  recorder = await installMocks({ gcpProject: "acme-ml-prod" });
  observability = new Observability("obs", {
    project: "acme-ml-prod",
    prefix: "si-prod",
    alerts,
    inputSubscriptions: {
      "us-central1": "si-prod-events-us-central1",
      "us-east1": "si-prod-events-us-east1",
    },
    consumingRegions: ["us-central1"],
    deadLetterSubscriptions: { events: "si-prod-events-dlq-inspect", analytics: "si-prod-bq-dlq-inspect" },
    endpoints: { "us-central1": "1111111111", "us-east1": "2222222222" },
    workerPools: { "us-central1": "si-prod-worker-us-central1" },
    dutyCycleTarget: 60,
  });
  await settle();
});

describe("Observability runbook links", () => {
  it("every declared alert policy's documentation links a section of docs/runbooks.md", () => {
    const policies = recorder.ofType(ALERT);
    expect(policies.length).toBe(11);
    for (const p of policies) {
      const content = (p.inputs.documentation as { content: string; mimeType: string }).content;
      expect(content, p.name).toMatch(/\*\*Runbook:\*\* \[[^\]]+\]\(docs\/runbooks\.md#[a-z-]+\)$/);
    }
  });
});

describe("Observability SLOs", () => {
  it("measures freshness as a distribution cut of the worker's end-to-end latency at the threshold", () => {
    const slo = recorder.get(SLO, "obs-slo-freshness").inputs;
    expect(slo.goal).toBe(0.9);
    expect(slo.rollingPeriodDays).toBe(28);
    expect(slo.requestBasedSli).toEqual({
      distributionCut: {
        distributionFilter:
          'metric.type="workload.googleapis.com/streaming_inference/end_to_end_latency" resource.type="prometheus_target" ' +
          'resource.label.namespace="streaming-inference" resource.label.job="worker"',
        range: { min: 0, max: 180_000 },
      },
    });
  });

  it("measures correctness as predicted versus dead-lettered outcomes", () => {
    const slo = recorder.get(SLO, "obs-slo-correctness").inputs;
    expect(slo.goal).toBe(0.995);
    const ratio = (slo.requestBasedSli as { goodTotalRatio: Record<string, string> }).goodTotalRatio;
    expect(ratio.goodServiceFilter).toMatch(
      /streaming_inference\/messages" .* metric\.label\.outcome="predicted"$/,
    );
    expect(ratio.badServiceFilter).toMatch(/metric\.label\.outcome="dead_lettered"$/);
    expect(ratio.totalServiceFilter).toBeUndefined();
  });
});

describe("Observability metric descriptors", () => {
  const DESCRIPTOR = "gcp:monitoring/metricDescriptor:MetricDescriptor";

  it("declares every worker metric as the OTLP export writes it: cumulative distributions and doubles", () => {
    const declared = recorder.ofType(DESCRIPTOR).map((d) => d.inputs);
    expect(declared.map((d) => d.type).sort()).toEqual(Object.values(WORKER_METRICS).map(metricType).sort());
    expect(recorder.get(DESCRIPTOR, "obs-metric-end-to-end-latency").inputs).toMatchObject({
      project: "acme-ml-prod",
      type: "workload.googleapis.com/streaming_inference/end_to_end_latency",
      metricKind: "CUMULATIVE",
      valueType: "DISTRIBUTION",
      unit: "ms",
      labels: [{ key: "model_id", valueType: "STRING" }],
    });
    expect(recorder.get(DESCRIPTOR, "obs-metric-messages").inputs).toMatchObject({
      metricKind: "CUMULATIVE",
      valueType: "DOUBLE",
      unit: "1",
    });
    const messageLabels = (
      recorder.get(DESCRIPTOR, "obs-metric-messages").inputs.labels as { key: string }[]
    ).map((l) => l.key);
    expect(messageLabels).toEqual([...WORKER_METRICS.messages.labels]);
  });

  it("creates the SLOs, every alert policy and the dashboard only after the descriptors", () => {
    const descriptors = recorder.ofType(DESCRIPTOR).map((d) => d.urn);
    const users = [
      ...recorder.ofType(SLO),
      ...recorder.ofType(ALERT),
      ...recorder.ofType("gcp:monitoring/dashboard:Dashboard"),
    ];
    expect(users).toHaveLength(2 + 11 + 1);
    for (const user of users)
      expect(user.dependencies, user.name).toEqual(expect.arrayContaining(descriptors));
  });
});

describe("Observability alerts", () => {
  it("pages on fast burn and tickets on slow burn, each over a long and a short window", async () => {
    const names = await valueOf(observability.sloNames);
    for (const slo of ["freshness", "correctness"]) {
      const fast = policy(`${slo}-fast-burn`);
      expect(fast.combiner).toBe("AND");
      expect(fast.severity).toBe("CRITICAL");
      expect(fast.conditions.map((c) => c.conditionThreshold?.filter)).toEqual([
        `select_slo_burn_rate("${names[slo]}", "3600s")`,
        `select_slo_burn_rate("${names[slo]}", "300s")`,
      ]);
      expect(fast.conditions.map((c) => c.conditionThreshold?.thresholdValue)).toEqual([14.4, 14.4]);
      const slow = policy(`${slo}-slow-burn`);
      expect(slow.conditions.map((c) => c.conditionThreshold?.filter)).toEqual([
        `select_slo_burn_rate("${names[slo]}", "21600s")`,
        `select_slo_burn_rate("${names[slo]}", "1800s")`,
      ]);
      expect(slow.conditions.map((c) => c.conditionThreshold?.thresholdValue)).toEqual([6, 6]);
    }
  });

  it("watches the backlog of every input subscription, armed only where a worker consumes", () => {
    const active = policy("backlog-us-central1");
    expect(active.enabled).toBe(true);
    expect(active.conditions[0]?.conditionThreshold).toMatchObject({
      filter:
        'metric.type="pubsub.googleapis.com/subscription/oldest_unacked_message_age" resource.type="pubsub_subscription" ' +
        'resource.label.subscription_id="si-prod-events-us-central1"',
      thresholdValue: 300,
      comparison: "COMPARISON_GT",
    });
    expect(policy("backlog-us-east1").enabled).toBe(false);
  });

  it("fires when any dead-letter subscription holds a message", () => {
    const dlq = policy("dead-letters");
    expect(dlq.conditions.map((c) => c.conditionThreshold?.filter)).toEqual([
      expect.stringContaining('subscription_id="si-prod-events-dlq-inspect"'),
      expect.stringContaining('subscription_id="si-prod-bq-dlq-inspect"'),
    ]);
    expect(dlq.conditions.every((c) => c.conditionThreshold?.thresholdValue === 0)).toBe(true);
  });

  it("alerts on the Vertex error ratio and p99 latency of each endpoint", () => {
    const errors = policy("vertex-error-rate");
    expect(errors.conditions).toHaveLength(2);
    expect(errors.conditions[0]?.conditionThreshold).toMatchObject({
      filter: expect.stringContaining(
        'prediction/online/error_count" resource.type="aiplatform.googleapis.com/Endpoint" resource.label.endpoint_id="1111111111"',
      ),
      denominatorFilter: expect.stringContaining('prediction/online/prediction_count"'),
      thresholdValue: 0.05,
    });
    const latency = policy("vertex-latency");
    expect(latency.conditions[1]?.conditionThreshold).toMatchObject({
      filter: expect.stringContaining('endpoint_id="2222222222" resource.label.location="us-east1"'),
      thresholdValue: 1000,
    });
  });

  it("treats a worker pool with no instance count, or none reported, as down", () => {
    const down = policy("worker-down");
    expect(down.combiner).toBe("OR");
    expect(down.conditions[0]?.conditionThreshold).toMatchObject({
      comparison: "COMPARISON_LT",
      thresholdValue: 1,
    });
    expect(down.conditions[1]?.conditionAbsent?.filter).toContain(
      'worker_pool_name="si-prod-worker-us-central1"',
    );
  });

  it("alerts while a worker holds its work for an unavailable dependency, by dependency", () => {
    const outage = policy("dependency-outage");
    expect(outage.enabled).toBe(true);
    const threshold = outage.conditions[0]?.conditionThreshold;
    expect(threshold?.filter).toContain(
      'metric.type="workload.googleapis.com/streaming_inference/dependency_outage"',
    );
    expect(threshold).toMatchObject({ comparison: "COMPARISON_GT", thresholdValue: 0 });
    expect(JSON.stringify(threshold?.aggregations)).toContain("metric.label.dependency");
  });

  it("notifies every configured address from every policy", () => {
    const channels = recorder.ofType(CHANNEL);
    expect(channels.map((c) => (c.inputs.labels as Record<string, string>).email_address)).toEqual(
      alerts.notificationEmails,
    );
    const policies = recorder.ofType(ALERT);
    expect(policies).toHaveLength(11);
    for (const p of policies) expect(p.inputs.notificationChannels).toHaveLength(2);
  });

  it("refuses an empty notification list, naming the fix", () => {
    expect(
      () =>
        new Observability("silent", {
          project: "p",
          prefix: "si",
          alerts: { ...alerts, notificationEmails: [] },
          inputSubscriptions: {},
          consumingRegions: [],
          deadLetterSubscriptions: {},
          endpoints: {},
          workerPools: {},
        }),
    ).toThrow("alerts.notificationEmails is empty; list at least one address");
  });
});

describe("Observability dashboard", () => {
  it("charts freshness against its threshold and every subscription, endpoint and worker", async () => {
    const dashboard = recorder.get("gcp:monitoring/dashboard:Dashboard", "obs-dashboard");
    const json = JSON.parse(dashboard.inputs.dashboardJson as string) as {
      mosaicLayout: { tiles: { widget: { title: string; xyChart: { thresholds?: { value: number }[] } } }[] };
    };
    const tiles = json.mosaicLayout.tiles;
    expect(tiles).toHaveLength(12);
    expect(tiles[0]?.widget.xyChart.thresholds?.[0]?.value).toBe(180_000);
    const text = dashboard.inputs.dashboardJson as string;
    for (const id of [
      "si-prod-events-us-east1",
      "si-prod-bq-dlq-inspect",
      "2222222222",
      "si-prod-worker-us-central1",
    ]) {
      expect(text).toContain(id);
    }
    expect(await valueOf(observability.dashboardUrl)).toMatch(
      /^https:\/\/console\.cloud\.google\.com\/monitoring\/dashboards\/custom\/\d+\?project=acme-ml-prod$/,
    );
  });
});

describe("burn rates", () => {
  it("spend 2% (fast) and 5% (slow) of a 30-day budget per window", () => {
    expect(BURN_RATE_WINDOWS.map((w) => +budgetSpent(w, 30).toFixed(4))).toEqual([0.02, 0.05]);
  });
});
