/**
 * Every alert policy's documentation says what fired, what to check first and what to do, and
 * links to a section of docs/runbooks.md that exists: the link's anchor is a heading of the file
 * (GitHub's anchors), under the configured base or the repository path by default.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  backlogPolicy,
  burnRatePolicy,
  deadLetterPolicy,
  vertexErrorRatePolicy,
  vertexLatencyPolicy,
  dependencyOutagePolicy,
  workerDownPolicy,
  type AlertPolicySpec,
  type AlertThresholds,
} from "../../../components/observability/alertPolicies";
import { BURN_RATE_WINDOWS } from "../../../components/observability/burnRate";
import {
  DEFAULT_RUNBOOK_BASE_URL,
  headingAnchor,
  RUNBOOK_SECTIONS,
  runbookUrl,
} from "../../../components/observability/runbooks";
import { REPO_ROOT } from "../../helpers/stackConfig";

const RUNBOOKS = fs.readFileSync(path.join(REPO_ROOT, "docs", "runbooks.md"), "utf8");
/** The anchors of the file's headings, as GitHub makes them. */
const anchors = new Set([...RUNBOOKS.matchAll(/^#{1,6} (.+)$/gm)].map((m) => headingAnchor(m[1]!)));

const thresholds: AlertThresholds = {
  oldestUnackedMessageSeconds: 300,
  vertexErrorRatePercent: 5,
  vertexLatencyP99Ms: 1000,
};

/** Every policy the Observability component declares, built the way it builds them. */
function everyPolicy(base?: string): AlertPolicySpec[] {
  const t = { ...thresholds, runbookBaseUrl: base };
  return [
    ...(["freshness", "correctness"] as const).flatMap((key) =>
      BURN_RATE_WINDOWS.map((w) => burnRatePolicy({ key, title: key, name: `slo-${key}` }, w, base)),
    ),
    backlogPolicy("us-central1", "si-prod-events-us-central1", true, t),
    deadLetterPolicy({ events: "si-prod-events-dlq-inspect" }, base),
    vertexErrorRatePolicy({ "us-central1": "123" }, t),
    vertexLatencyPolicy({ "us-central1": "123" }, t),
    workerDownPolicy({ "us-central1": "si-prod-worker-us-central1" }, base),
    dependencyOutagePolicy(base),
  ];
}

const linkOf = (doc: string) => /\*\*Runbook:\*\* \[[^\]]+\]\(([^)]+)\)/.exec(doc)?.[1];

describe("runbooks", () => {
  it("every alert's documentation has the three parts and a link to a heading of docs/runbooks.md", () => {
    const policies = everyPolicy();
    expect(policies.length).toBe(10);
    for (const policy of policies) {
      for (const part of ["**What fired:**", "**Check first:**", "**What to do:**"]) {
        expect(policy.documentation, policy.key).toContain(part);
      }
      const link = linkOf(policy.documentation);
      expect(link, policy.key).toBeDefined();
      const [file, anchor] = link!.split("#");
      expect(file).toBe(DEFAULT_RUNBOOK_BASE_URL);
      expect(fs.existsSync(path.join(REPO_ROOT, file!))).toBe(true);
      expect(anchors, `${policy.key} -> #${anchor}`).toContain(anchor);
    }
  });

  it("every runbook section, the dependency-outage one included, is a heading of the file", () => {
    for (const [key, heading] of Object.entries(RUNBOOK_SECTIONS)) {
      expect(anchors, key).toContain(headingAnchor(heading));
    }
    expect(runbookUrl("dependency-outage")).toBe("docs/runbooks.md#worker-circuit-open");
  });

  it("links under the configured base", () => {
    const base = "https://git.example.com/ml/streaming-inference/blob/main/docs/runbooks.md";
    for (const policy of everyPolicy(base)) {
      expect(linkOf(policy.documentation), policy.key).toMatch(
        new RegExp(`^${base.replace(/[.]/g, "\\.")}#[a-z-]+$`),
      );
    }
  });

  it("makes GitHub's anchors", () => {
    expect(headingAnchor("Freshness SLO is burning its error budget")).toBe(
      "freshness-slo-is-burning-its-error-budget",
    );
    expect(headingAnchor("What's next: (a) B")).toBe("whats-next-a-b");
  });
});
