/**
 * `npm run plan`'s day-two flags (tools/plan/opsArgs.ts): `--help` and `--policy-config` are
 * taken out before the render's own parser sees the line; spawned as a user runs it, `--help`
 * prints the usage and exits 0, and a policy config changes what the pack reports.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readPolicyConfig, splitPlanOpsArgs } from "../../../tools/plan/opsArgs";
import { formatTree } from "../../../tools/plan/print";
import { MODEL_DEPLOYMENT_TYPE } from "../../../contract/modelDeployment";
import { REPO_ROOT } from "../../helpers/stackConfig";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-ops-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function plan(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      path.join(REPO_ROOT, "node_modules/.bin/tsx"),
      ["scripts/plan.ts", ...args],
      { cwd: REPO_ROOT, encoding: "utf8", timeout: 240_000, maxBuffer: 64 * 1024 * 1024 },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

describe("npm run plan day-two flags", () => {
  it("takes --help and --policy-config out, leaving the rest for the render's parser", () => {
    expect(splitPlanOpsArgs(["--stack", "prod", "--policy-config", "p.json", "--json", "o.json"])).toEqual({
      help: false,
      policyConfig: "p.json",
      rest: ["--stack", "prod", "--json", "o.json"],
    });
    expect(splitPlanOpsArgs(["--policy-config=p.json", "-h"])).toMatchObject({
      help: true,
      policyConfig: "p.json",
    });
    expect(() => splitPlanOpsArgs(["--policy-config"])).toThrow(/^--policy-config needs a file/);
    expect(() => splitPlanOpsArgs(["--policy-config", "--stack"])).toThrow(/^--policy-config needs a file/);
  });

  it("reads a policy config object and refuses anything else, naming the file", () => {
    const good = path.join(tmp, "good.json");
    fs.writeFileSync(good, '{"model-deployment-scale-cap": {"maxReplicas": 1}}');
    expect(readPolicyConfig(good)).toEqual({ "model-deployment-scale-cap": { maxReplicas: 1 } });
    const list = path.join(tmp, "list.json");
    fs.writeFileSync(list, "[]");
    expect(() => readPolicyConfig(list)).toThrow(/must be a JSON object keyed by policy name/);
    expect(() => readPolicyConfig(path.join(tmp, "missing.json"))).toThrow(/cannot be read as JSON/);
  });

  it("shows a model deployment's machine, GPUs and replicas in the tree", () => {
    const [line] = formatTree([
      {
        urn: "urn:m",
        type: MODEL_DEPLOYMENT_TYPE,
        name: "model-us-central1",
        custom: true,
        inputs: {
          machineType: "g2-standard-8",
          acceleratorType: "NVIDIA_L4",
          acceleratorCount: 1,
          minReplicas: 2,
          maxReplicas: 8,
        },
        dependencies: [],
      },
    ]);
    expect(line).toContain(
      "machineType=g2-standard-8  acceleratorType=NVIDIA_L4  acceleratorCount=1  minReplicas=2  maxReplicas=8",
    );
  });

  it("--help prints the usage with every flag and exits 0", { timeout: 120_000 }, async () => {
    const run = await plan("--help");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: npm run plan -- /);
    expect(run.stdout).toContain("--policy-config <file.json>");
  });

  it("renders with the policy pack's config from --policy-config", { timeout: 240_000 }, async () => {
    const config = path.join(tmp, "pack.json");
    fs.writeFileSync(config, '{"model-deployment-scale-cap": {"maxReplicas": 1}}');
    const stack = path.join(REPO_ROOT, "test", "fixtures", "stacks", "Pulumi.staging.yaml");
    const run = await plan("--config", stack, "--policy-config", config);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("machineType=n1-standard-4  acceleratorType=NVIDIA_TESLA_T4");
    expect(run.stdout).toMatch(/scales to 2 replicas: set maxReplicas to at most 1\./);
  });
});
