/**
 * `npm run plan` end to end: spawned as a user runs it (tsx, the real stack program,
 * the checked-in stack files), checking exit codes, the JSON and the error path.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/stackConfig";

interface PlanJson {
  stack: string;
  resources: { urn: string; type: string; name: string; parent?: string; inputs: Record<string, unknown> }[];
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/**
 * Runs the plan as a user does. Asynchronous: a synchronous spawn blocks vitest's worker, whose
 * RPC to the runner times out after 60 s on a loaded machine ("Timeout calling onTaskUpdate").
 */
function plan(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      path.join(REPO_ROOT, "node_modules/.bin/tsx"),
      ["scripts/plan.ts", ...args],
      { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

describe.each(["staging", "prod"])("npm run plan -- --stack %s", (stack) => {
  const out = path.join(tmp, `${stack}.json`);
  let run: Awaited<ReturnType<typeof plan>>;
  const json = (): PlanJson => JSON.parse(fs.readFileSync(out, "utf8")) as PlanJson;
  const ofType = (type: string) => json().resources.filter((r) => r.type === type);

  it(
    "exits 0, says it is an offline render and prints the tree with counts",
    { timeout: 240_000 },
    async () => {
      run = await plan("--stack", stack, "--json", out);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("NOT a `pulumi preview`");
      expect(run.stdout).toMatch(/^\s+2\s+gcp:compute\/subnetwork:Subnetwork$/m);
      expect(run.stdout).toMatch(/total \(\d+ cloud resources/);
    },
  );

  it("writes every resource with type, name, parent and inputs", () => {
    const doc = json();
    expect(doc.stack).toBe(stack);
    const urns = new Set(doc.resources.map((r) => r.urn));
    for (const r of doc.resources) {
      expect(r).toMatchObject({
        urn: expect.any(String),
        type: expect.any(String),
        name: expect.any(String),
      });
      if (r.parent) expect(urns.has(r.parent)).toBe(true);
    }
    const provider = ofType("pulumi:providers:gcp");
    expect(provider.map((p) => p.inputs.project)).toEqual([`acme-ml-${stack}`]);
  });

  it("lists the data plane: topics, dead-lettering subscriptions, CMEK clusters, dataset, subnets, rotating keys", () => {
    expect(ofType("gcp:pubsub/topic:Topic").map((t) => t.inputs.name)).toContain(`si-${stack}-events`);
    const pull = ofType("gcp:pubsub/subscription:Subscription").filter((s) =>
      String(s.inputs.name).startsWith(`si-${stack}-events-us-`),
    );
    expect(pull).toHaveLength(2);
    for (const s of pull) expect(s.inputs.deadLetterPolicy).toBeDefined();
    const [instance] = ofType("gcp:bigtable/instance:Instance");
    const clusters = instance!.inputs.clusters as { kmsKeyName?: string }[];
    expect(clusters).toHaveLength(2);
    for (const c of clusters) expect(c.kmsKeyName).toMatch(/cryptoKeys\/bigtable$/);
    expect(ofType("gcp:bigquery/dataset:Dataset")[0]!.inputs.defaultEncryptionConfiguration).toBeDefined();
    for (const s of ofType("gcp:compute/subnetwork:Subnetwork"))
      expect(s.inputs.privateIpGoogleAccess).toBe(true);
    expect(ofType("gcp:compute/network:Network")).toHaveLength(1);
    for (const k of ofType("gcp:kms/cryptoKey:CryptoKey")) expect(k.inputs.rotationPeriod).toBe("7776000s");
  });

  it("gives the BigQuery predictions table the prediction JSON column (and a nullable score)", () => {
    const [table] = ofType("gcp:bigquery/table:Table");
    const columns = JSON.parse(String(table!.inputs.schema)) as {
      name: string;
      type: string;
      mode: string;
    }[];
    expect(columns).toContainEqual(
      expect.objectContaining({ name: "prediction", type: "JSON", mode: "NULLABLE" }),
    );
    expect(columns).toContainEqual(
      expect.objectContaining({ name: "label", type: "STRING", mode: "NULLABLE" }),
    );
    expect(columns).toContainEqual(expect.objectContaining({ name: "score", mode: "NULLABLE" }));
  });
});

describe("npm run plan with a bad config", () => {
  it("exits non-zero with the config error's message and no stack trace", { timeout: 240_000 }, async () => {
    const bad = path.join(tmp, "Pulumi.bad.yaml");
    const prod = fs.readFileSync(
      path.join(REPO_ROOT, "test", "fixtures", "stacks", "Pulumi.prod.yaml"),
      "utf8",
    );
    fs.writeFileSync(bad, prod.replace("acceleratorCount: 1", "acceleratorCount: 3"));
    const run = await plan("--config", bad);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Invalid stack config:");
    expect(run.stderr).toContain("streaming-inference:model.acceleratorType");
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).toBe("");
  });

  it(
    "refuses, as the Pulumi CLI does, a stack without a key Pulumi.yaml declares with no default",
    { timeout: 240_000 },
    async () => {
      const bad = path.join(tmp, "Pulumi.nodeploymentid.yaml");
      const prod = fs.readFileSync(path.join(REPO_ROOT, "Pulumi.prod.yaml"), "utf8");
      fs.writeFileSync(bad, prod.replace(/^ {2}streaming-inference:deploymentId: .*\n/m, ""));
      const run = await plan("--config", bad);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        "Stack 'nodeploymentid' is missing configuration value 'streaming-inference:deploymentId'",
      );
      expect(run.stdout).toBe("");
    },
  );

  it("exits 2 with usage on missing or conflicting arguments", { timeout: 240_000 }, async () => {
    expect((await plan()).code).toBe(2);
    const both = await plan("--stack", "prod", "--config", "Pulumi.prod.yaml");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("usage: npm run plan");
    expect((await plan("--stack", "nope")).stderr).toContain("does not exist");
  });
});

describe("npm run plan --json into a folder", () => {
  it("creates a folder that does not exist yet", { timeout: 240_000 }, async () => {
    const out = path.join(tmp, "new", "deeper", "plan.json");
    const run = await plan("--stack", "staging", "--json", out);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect((JSON.parse(fs.readFileSync(out, "utf8")) as PlanJson).stack).toBe("staging");
  });

  it("names a path it cannot write, without a stack trace", { timeout: 240_000 }, async () => {
    const file = path.join(tmp, "a-file");
    fs.writeFileSync(file, "");
    const run = await plan("--stack", "staging", "--json", path.join(file, "plan.json"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`cannot write --json ${path.join(file, "plan.json")}`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

describe("npm run plan --program with another project's program", () => {
  it(
    "renders examples/platform with its own config namespace (policies/README.md shows it)",
    { timeout: 240_000 },
    async () => {
      const out = path.join(tmp, "example.json");
      const run = await plan(
        "--config",
        "examples/platform/Pulumi.example.yaml",
        "--program",
        "examples/platform/index.ts",
        "--json",
        out,
      );
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const types = (JSON.parse(fs.readFileSync(out, "utf8")) as PlanJson).resources.map(
        (r) => `${r.type} ${r.name}`,
      );
      expect(types).toContain("streaming-inference:index:StreamingInferencePlatform si-example");
      expect(types).toContain("gcp:pubsub/topic:Topic feedback-topic");
    },
  );
});
