/**
 * Stack config keys that nothing reads: a misspelt namespace used to deploy silently with the
 * default. They are reported with the key, the likely fix, and together with schema problems.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, namespaceProblems, parseStackConfig, readStackFile } from "../../../components/config";
import { REPO_ROOT, stackFile } from "../../helpers/stackConfig";

function problemsOf(all: Record<string, unknown>, project?: string): string[] {
  try {
    parseStackConfig(all, { project });
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

describe("config keys outside the platform's namespace", () => {
  it("accepts the checked-in stacks", () => {
    expect(problemsOf(stackFile("staging"), "streaming-inference")).toEqual([]);
    expect(problemsOf(stackFile("prod"), "streaming-inference")).toEqual([]);
  });

  it("reports a misspelt project namespace in a stack file, naming the key it meant", () => {
    const text = fs
      .readFileSync(path.join(REPO_ROOT, "test", "fixtures", "stacks", "Pulumi.staging.yaml"), "utf8")
      .replace(
        "streaming-inference:failoverMode: standby",
        "streaming-inferance:failoverMode: active-active",
      );
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ns-")), "Pulumi.staging.yaml");
    fs.writeFileSync(file, text);
    expect(problemsOf(readStackFile(file), "streaming-inference")).toEqual([
      'streaming-inferance:failoverMode is in unknown namespace "streaming-inferance", so nothing reads it; ' +
        "did you mean streaming-inference:failoverMode? fix the spelling",
    ]);
  });

  it("reports a misspelt provider namespace and a namespace nothing reads", () => {
    expect(
      namespaceProblems({ "gpc:region": "us-central1", "acme:owner": "x" }, { project: "my-stack" }),
    ).toEqual([
      'gpc:region is in unknown namespace "gpc", so nothing reads it; did you mean gcp:region? fix the spelling',
      'acme:owner is in unknown namespace "acme", so nothing reads it ' +
        "(known: streaming-inference, pulumi, gcp, docker, my-stack); remove it or fix the spelling",
    ]);
  });

  it("reads the project's own keys and the namespaces the program names", () => {
    expect(
      namespaceProblems(
        { "my-stack:workerImageUri": "x", "aws:region": "y" },
        { project: "my-stack", otherNamespaces: ["aws"] },
      ),
    ).toEqual([]);
  });

  it("lists namespace problems together with the schema's", () => {
    const all = {
      ...stackFile("staging"),
      "streaming-inference:failoverMode": "both",
      "streaming-inferance:x": 1,
    };
    expect(problemsOf(all, "streaming-inference")).toEqual([
      expect.stringContaining('streaming-inferance:x is in unknown namespace "streaming-inferance"'),
      'streaming-inference:failoverMode is "both"; allowed: "standby", "active-active"',
    ]);
  });
});
