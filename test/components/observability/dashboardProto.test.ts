/**
 * The dashboard JSON is a fixed point of google.monitoring.dashboard.v1.Dashboard (the proto
 * in @google-cloud/monitoring-dashboards): read as the API reads it and written back as proto3
 * JSON, it is unchanged. Anything else (a 0, an empty list, a field the proto lacks) is stored
 * differently from what was sent, and `pulumi up` shows a diff every time.
 */
import { describe, expect, it } from "vitest";
import { dashboardJson, type DashboardInput } from "../../../components/observability/dashboard";
import { canonicalProtoJson, protoRoot, storedJsonProblems } from "../../../tools/conformance/protoJson";

const DASHBOARD = "google.monitoring.dashboard.v1.Dashboard";
const root = protoRoot("@google-cloud/monitoring-dashboards");

const prodLike: DashboardInput = {
  displayName: "si-prod streaming inference",
  freshnessThresholdSeconds: 180,
  vertexLatencyP99Ms: 1000,
  dutyCycleTarget: 60,
  inputSubscriptions: { "us-central1": "si-prod-events-us-central1", "us-east1": "si-prod-events-us-east1" },
  deadLetterSubscriptions: { events: "si-prod-events-dlq-inspect" },
  endpoints: { "us-central1": "1234", "us-east1": "5678" },
  workerPools: { "us-central1": "si-prod-worker-us-central1" },
};
const oneRegion: DashboardInput = {
  ...prodLike,
  inputSubscriptions: { "us-central1": "s" },
  endpoints: { "us-central1": "1" },
};

/** Every key whose value is a proto3 default: 0, "", false, [] or {}. */
function defaultValued(value: unknown, at = ""): string[] {
  if (Array.isArray(value)) {
    return value.length === 0 ? [at] : value.flatMap((v, i) => defaultValued(v, `${at}[${i}]`));
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return [at];
    return entries.flatMap(([k, v]) => defaultValued(v, at ? `${at}.${k}` : k));
  }
  return value === 0 || value === "" || value === false ? [at] : [];
}

describe.each([
  ["two regions", prodLike],
  ["one region", oneRegion],
])("dashboardJson (%s)", (_label, input) => {
  const json = dashboardJson(input);

  it("round-trips through the Dashboard proto unchanged", () => {
    const { value, problems } = canonicalProtoJson(root, DASHBOARD, JSON.parse(json));
    expect(problems).toEqual([]);
    expect(value).toEqual(JSON.parse(json));
    expect(storedJsonProblems(root, DASHBOARD, json)).toEqual([]);
  });

  it("has no default-valued key", () => {
    expect(defaultValued(JSON.parse(json))).toEqual([]);
  });
});

describe("the round trip catches what the API would not store as sent", () => {
  const base = JSON.parse(dashboardJson(oneRegion)) as {
    mosaicLayout: { tiles: Record<string, unknown>[] };
  };

  it("a zero position and an empty list, by path", () => {
    const tiles = base.mosaicLayout.tiles.map((t, i) => (i === 0 ? { xPos: 0, ...t } : t));
    const problems = storedJsonProblems(
      root,
      DASHBOARD,
      JSON.stringify({ ...base, mosaicLayout: { ...base.mosaicLayout, tiles } }),
    );
    expect(problems).toEqual([expect.stringMatching(/^mosaicLayout\.tiles\[0\]\.xPos: 0 -> undefined/)]);
  });

  it("a field the proto does not have, naming the message", () => {
    const problems = storedJsonProblems(root, DASHBOARD, JSON.stringify({ ...base, colour: "red" }));
    expect(problems).toEqual([
      expect.stringContaining(
        'colour: message google.monitoring.dashboard.v1.Dashboard has no field "colour"',
      ),
    ]);
  });

  it("an enum value the proto does not list, naming the enum", () => {
    const tiles = base.mosaicLayout.tiles.map((t) => ({
      ...t,
      widget: { ...(t.widget as object), xyChart: { dataSets: [{ plotType: "PIE" }] } },
    }));
    const problems = storedJsonProblems(
      root,
      DASHBOARD,
      JSON.stringify({ ...base, mosaicLayout: { tiles } }),
    );
    expect(problems[0]).toMatch(
      /plotType: "PIE" is not a value of enum google\.monitoring\.dashboard\.v1\.XyChart\.DataSet\.PlotType/,
    );
  });
});
