/**
 * `monitoring-metrics-exist` over the real renders of both stacks (`npm run plan --json`,
 * which records what each resource waits for), then over the prod render with one fault
 * added at a time: the check passes on the stacks and names each fault.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPolicies, type PlannedResource } from "../../policies/src";
import { descriptorProblems, monitoringMetricsExist } from "../../policies/src/monitoredMetrics";
import { REPO_ROOT } from "../helpers/stackConfig";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "monitored-metrics-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function render(stack: string): Promise<PlannedResource[]> {
  const out = path.join(tmp, `${stack}.json`);
  const child = spawn(
    path.join(REPO_ROOT, "node_modules/.bin/tsx"),
    [
      "scripts/plan.ts",
      "--config",
      path.join(REPO_ROOT, "test", "fixtures", "stacks", `Pulumi.${stack}.yaml`),
      "--json",
      out,
    ],
    {
      cwd: REPO_ROOT,
      stdio: "ignore",
    },
  );
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve((JSON.parse(fs.readFileSync(out, "utf8")) as { resources: PlannedResource[] }).resources)
        : reject(new Error(`plan --stack ${stack} exited ${code}`)),
    );
  });
}

const stacks: Record<string, PlannedResource[]> = {};
beforeAll(async () => {
  const [staging, prod] = await Promise.all([render("staging"), render("prod")]);
  stacks.staging = staging;
  stacks.prod = prod;
}, 300_000);

const ALERT = "gcp:monitoring/alertPolicy:AlertPolicy";
const SLO = "gcp:monitoring/slo:Slo";
const DESCRIPTOR = "gcp:monitoring/metricDescriptor:MetricDescriptor";

async function messages(resources: PlannedResource[]): Promise<string[]> {
  const violations = await runPolicies(resources, { policies: [monitoringMetricsExist] });
  return violations.map((v) => v.message);
}

function prod(): PlannedResource[] {
  return structuredClone(stacks.prod as PlannedResource[]);
}

function alertOn(metricType: string, name = "extra-alert"): PlannedResource {
  return {
    urn: `urn:pulumi:prod::streaming-inference::${ALERT}::${name}`,
    type: ALERT,
    name,
    inputs: {
      displayName: "extra",
      combiner: "OR",
      conditions: [
        {
          displayName: "c",
          conditionThreshold: { filter: `metric.type="${metricType}" resource.type="prometheus_target"` },
        },
      ],
    },
    dependencies: [],
  };
}

describe("monitoring-metrics-exist on the checked-in stacks", () => {
  it.each(["staging", "prod"])(
    "%s: every filtered metric is a built-in or a descriptor its user waits for",
    async (stack) => {
      const resources = stacks[stack] as PlannedResource[];
      expect(resources.filter((r) => r.type === DESCRIPTOR).length).toBe(7);
      expect(await messages(resources)).toEqual([]);
    },
  );
});

describe("monitoring-metrics-exist on a faulty prod", () => {
  it("fails on a filter naming a worker metric nobody declared", async () => {
    expect(
      await messages([...prod(), alertOn("workload.googleapis.com/streaming_inference/undeclared")]),
    ).toEqual([
      'Alert policy "extra-alert" filters on "workload.googleapis.com/streaming_inference/undeclared", which is ' +
        "neither a Google Cloud built-in (policies/src/builtInMetrics.ts) nor declared by a MetricDescriptor in the " +
        "stack: declare one and add it to this resource's dependsOn, or the first `pulumi up` fails with \"The " +
        'metric referenced by the provided filter is unknown".',
    ]);
  });

  it("fails on a misspelt built-in", async () => {
    const [message] = await messages([
      ...prod(),
      alertOn("pubsub.googleapis.com/subscription/oldest_unacked_message_ages"),
    ]);
    expect(message).toContain(
      '"pubsub.googleapis.com/subscription/oldest_unacked_message_ages", which is neither',
    );
  });

  it("fails on an OTLP metric left in the prometheus.googleapis.com domain", async () => {
    const [message] = await messages([...prod(), alertOn("prometheus.googleapis.com/messages/counter")]);
    expect(message).toContain("exists only after its first write");
  });

  it("fails when an SLO does not wait for the descriptor of its metric", async () => {
    const resources = prod();
    const descriptors = new Set(resources.filter((r) => r.type === DESCRIPTOR).map((r) => r.urn));
    const slo = resources.find((r) => r.type === SLO && r.name.endsWith("slo-freshness")) as PlannedResource;
    slo.dependencies = (slo.dependencies ?? []).filter((urn) => !descriptors.has(urn));
    expect(await messages(resources)).toEqual([
      `SLO "${slo.name}" filters on "workload.googleapis.com/streaming_inference/end_to_end_latency" but does not ` +
        'wait for Metric descriptor "si-prod-observability-metric-end-to-end-latency": add it to dependsOn, or the ' +
        "first `pulumi up` may create them in parallel and the filter is rejected.",
    ]);
  });

  it("fails on a descriptor the API would refuse: a domain a project cannot declare, a bad label key", async () => {
    const descriptor: PlannedResource = {
      urn: `urn:pulumi:prod::streaming-inference::${DESCRIPTOR}::bad`,
      type: DESCRIPTOR,
      name: "bad",
      inputs: {
        type: "prometheus.googleapis.com/messages/counter",
        metricKind: "CUMULATIVE",
        valueType: "DOUBLE",
        labels: [{ key: "model-id" }],
      },
      dependencies: [],
    };
    expect(await messages([...prod(), descriptor])).toEqual([
      'Metric descriptor "bad" cannot be created: its type "prometheus.googleapis.com/messages/counter" is not in a ' +
        "domain a project can declare (custom.googleapis.com/, external.googleapis.com/, workload.googleapis.com/, " +
        "logging.googleapis.com/user/).",
      'Metric descriptor "bad" cannot be created: label key "model-id" does not match [a-zA-Z][a-zA-Z0-9_]*.',
    ]);
  });

  it("holds a declared name to the API's characters and length", () => {
    expect(
      descriptorProblems("workload.googleapis.com/streaming_inference/end_to_end_latency", ["model_id"]),
    ).toEqual([]);
    expect(descriptorProblems("workload.googleapis.com/streaming-inference/latency", [])).toEqual([
      'the name after "workload.googleapis.com/" must be 1-100 letters, digits, "_", "." or "/" (got "streaming-inference/latency")',
    ]);
    expect(descriptorProblems(`custom.googleapis.com/${"a".repeat(101)}`, [])).toHaveLength(1);
  });
});
