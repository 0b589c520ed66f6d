/**
 * Whole stacks through `npm run plan` (spawned as a user runs it: tsx, the stack program
 * under Pulumi's mocks, then the policy pack): the checked-in stacks pass, and each
 * deliberately broken stack trips exactly the policies its fault breaks - judged against
 * the unbroken prod render, so only what the fault added counts.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Violation } from "../../policies/src";
import { REPO_ROOT } from "../helpers/stackConfig";

const FIXTURES = path.join(__dirname, "fixtures");
const STACKS = path.join(__dirname, "..", "fixtures", "stacks");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "policy-stacks-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface PlanRun {
  code: number | null;
  stdout: string;
  stderr: string;
  violations: Violation[];
}

function plan(label: string, ...args: string[]): Promise<PlanRun> {
  const out = path.join(tmp, `${label}.json`);
  const child = spawn(
    path.join(REPO_ROOT, "node_modules/.bin/tsx"),
    ["scripts/plan.ts", ...args, "--policy", "--json", out],
    {
      cwd: REPO_ROOT,
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const doc = fs.existsSync(out)
        ? (JSON.parse(fs.readFileSync(out, "utf8")) as { policy?: { violations: Violation[] } })
        : {};
      resolve({ code, stdout, stderr, violations: doc.policy?.violations ?? [] });
    });
  });
}

const runs: Record<string, PlanRun> = {};
beforeAll(async () => {
  // Two at a time: the machine has two cores, and each render is a full tsx start-up.
  const jobs: [string, string[]][] = [
    // The tests' copies of the stacks: a user's edits to Pulumi.<stack>.yaml must not move these results.
    ["staging", ["--config", path.join(STACKS, "Pulumi.staging.yaml")]],
    ["prod", ["--config", path.join(STACKS, "Pulumi.prod.yaml")]],
    ["unprotected", ["--config", path.join(FIXTURES, "prod-unprotected/Pulumi.prod.yaml")]],
    ["gpu", ["--config", path.join(FIXTURES, "prod-gpu-off-list/Pulumi.prod.yaml")]],
    ["replicas", ["--config", path.join(FIXTURES, "prod-replicas-40/Pulumi.prod.yaml")]],
    [
      "program",
      [
        "--config",
        path.join(STACKS, "Pulumi.prod.yaml"),
        "--program",
        path.join(FIXTURES, "brokenProgram.ts"),
      ],
    ],
  ];
  for (let i = 0; i < jobs.length; i += 2) {
    const batch = jobs.slice(i, i + 2);
    const done = await Promise.all(batch.map(([label, args]) => plan(label, ...args)));
    batch.forEach(([label], j) => (runs[label] = done[j] as PlanRun));
  }
}, 300_000);

const key = (v: Violation) => `${v.policy}|${v.resource}|${v.message}`;

/** What `label`'s render reports beyond the prod render, and what it no longer reports. */
function againstProd(label: string) {
  const baseline = new Set((runs.prod as PlanRun).violations.map(key));
  const broken = (runs[label] as PlanRun).violations;
  const brokenKeys = new Set(broken.map(key));
  return {
    added: broken.filter((v) => !baseline.has(key(v))).map((v) => [v.policy, v.message]),
    removed: (runs.prod as PlanRun).violations.filter((v) => !brokenKeys.has(key(v))),
  };
}

describe("the checked-in stacks", () => {
  it.each(["staging", "prod"])("%s renders with no mandatory violation, and `--policy` exits 0", (stack) => {
    const run = runs[stack] as PlanRun;
    expect(run.violations.filter((v) => v.level === "mandatory")).toEqual([]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Policy violations: none");
  });
});

describe("deliberately broken stacks", () => {
  it("a program adding a topic without a key, a public endpoint and a subscription without a DLQ exits 3, naming the policies", () => {
    const run = runs.program as PlanRun;
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("Mandatory policy violations");
    expect(againstProd("program")).toEqual({
      added: [
        [
          "cmek-required",
          'Pub/Sub topic "rogue-topic" names no KMS key: set kmsKeyName to a Cloud KMS key in "us" or "global".',
        ],
        [
          "vertex-endpoint-private",
          'Vertex AI endpoint "rogue-endpoint" is public: set network (VPC peering) or privateServiceConnectConfig.enablePrivateServiceConnect to true.',
        ],
        [
          "pubsub-pull-subscription-dead-letter",
          'Pub/Sub subscription "rogue-subscription" has no dead-letter policy: set deadLetterPolicy.deadLetterTopic and deadLetterPolicy.maxDeliveryAttempts (5-100).',
        ],
      ],
      removed: [],
    });
    for (const policy of [
      "cmek-required",
      "vertex-endpoint-private",
      "pubsub-pull-subscription-dead-letter",
    ]) {
      expect(run.stdout).toMatch(new RegExp(`^  ${policy} \\[mandatory\\] \\(1\\)$`, "m"));
    }
  });

  it("prod with deletionProtection: false trips deletion-protection on the Bigtable instance and table, the BigQuery table and its two de-duplicating views", () => {
    expect((runs.unprotected as PlanRun).code).toBe(3);
    const { added, removed } = againstProd("unprotected");
    expect(removed).toEqual([]);
    expect(added.map(([policy]) => policy)).toEqual(Array(5).fill("deletion-protection"));
    expect(added.map(([, message]) => message?.replace(/"[^"]*"/, "<name>"))).toEqual([
      "Bigtable instance <name> is not protected from deletion in prod: set deletionProtection to true.",
      'Bigtable table <name> is not protected from deletion in prod: set deletionProtection to "PROTECTED".',
      "BigQuery table <name> is not protected from deletion in prod: set deletionProtection to true.",
      "BigQuery table <name> is not protected from deletion in prod: set deletionProtection to true.",
      "BigQuery table <name> is not protected from deletion in prod: set deletionProtection to true.",
    ]);
  });

  it("prod on an A100 trips model-deployment-allowed-machine once per deployed model", () => {
    const { added, removed } = againstProd("gpu");
    expect(removed).toEqual([]);
    expect(added.length).toBeGreaterThan(0);
    for (const [policy, message] of added) {
      expect(policy).toBe("model-deployment-allowed-machine");
      expect(message).toContain(
        "runs on a2-highgpu-1g + NVIDIA_TESLA_A100, which Vertex AI takes but is not an approved machine",
      );
    }
  });

  it("prod scaling to 40 replicas trips model-deployment-scale-cap once per deployed model", () => {
    const { added, removed } = againstProd("replicas");
    expect(removed).toEqual([]);
    expect(added.length).toBeGreaterThan(0);
    for (const [policy, message] of added) {
      expect(policy).toBe("model-deployment-scale-cap");
      expect(message).toMatch(/ scales to 40 replicas: set maxReplicas to at most 10\.$/);
    }
  });
});
