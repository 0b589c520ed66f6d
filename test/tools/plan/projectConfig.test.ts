/**
 * The Pulumi CLI's project-config rules, offline (tools/plan/projectConfig.ts): the checked-in
 * stacks pass them, and what `pulumi preview` refuses (a declared key without a default missing
 * from the stack, a value of the wrong type, gcp:* keys nothing reads) is refused with the key named.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { readStackFile } from "../../../components/config";
import {
  applyProjectConfig,
  ignoredProviderKeyProblems,
  matchesType,
  readProject,
  type PulumiProject,
} from "../../../tools/plan/projectConfig";
import { STACK_PROGRAM, withProjectConfig } from "../../../tools/plan/render";
import { REPO_ROOT } from "../../helpers/stackConfig";

const root = readProject(path.join(REPO_ROOT, "Pulumi.yaml"));
const stackFile = (stack: string) => readStackFile(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`));
const without = (config: Record<string, unknown>, ...keys: string[]) =>
  Object.fromEntries(Object.entries(config).filter(([k]) => !keys.includes(k)));

describe("the checked-in stacks against Pulumi.yaml", () => {
  it.each(["prod", "staging"])("%s passes every rule the CLI applies", (stack) => {
    expect(applyProjectConfig(root, stack, stackFile(stack)).problems).toEqual([]);
    expect(() => withProjectConfig(stackFile(stack), STACK_PROGRAM, stack)).not.toThrow();
  });

  it("the example passes its own project's rules", () => {
    const project = readProject(path.join(REPO_ROOT, "examples/platform/Pulumi.yaml"));
    const config = readStackFile(path.join(REPO_ROOT, "examples/platform/Pulumi.example.yaml"));
    const applied = applyProjectConfig(project, "example", config);
    expect(applied.problems).toEqual([]);
    // activeRegion has a default there: the CLI merges it into the stack config.
    expect(applied.config["streaming-inference-example:activeRegion"]).toBe("us-central1");
  });
});

describe("what the CLI refuses", () => {
  it("a stack without a key declared with no default, named as the CLI names it", () => {
    const { problems } = applyProjectConfig(
      root,
      "prod",
      without(stackFile("prod"), "streaming-inference:deploymentId"),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(
      "Stack 'prod' is missing configuration value 'streaming-inference:deploymentId'",
    );
  });

  it("every missing key at once, sorted, as 'a', 'b' and 'c'", () => {
    const { problems } = applyProjectConfig(
      root,
      "staging",
      without(
        stackFile("staging"),
        "streaming-inference:namePrefix",
        "streaming-inference:deletionProtection",
        "streaming-inference:alerts",
      ),
    );
    expect(problems[0]).toContain(
      "missing configuration values 'streaming-inference:alerts', 'streaming-inference:deletionProtection' and 'streaming-inference:namePrefix'",
    );
  });

  it("a value of the wrong declared type", () => {
    const config = {
      ...stackFile("prod"),
      "streaming-inference:regions": "us-central1",
      "streaming-inference:deletionProtection": "yes",
      "streaming-inference:model": ["not", "an", "object"],
    };
    expect(applyProjectConfig(root, "prod", config).problems).toEqual([
      "Stack 'prod' with configuration key 'streaming-inference:deletionProtection' must be of type 'boolean'",
      "Stack 'prod' with configuration key 'streaming-inference:model' must be of type 'object'",
      "Stack 'prod' with configuration key 'streaming-inference:regions' must be of type 'array<string>'",
    ]);
  });

  it("gcp:project and gcp:region in the root stack: the explicit provider reads neither", () => {
    const config = { ...stackFile("prod"), "gcp:project": "acme-ml-prod", "gcp:region": "us-central1" };
    expect(ignoredProviderKeyProblems(config, "prod")).toEqual([
      expect.stringMatching(/^gcp:project in Pulumi\.prod\.yaml is read by nothing: .*remove gcp:project$/),
      expect.stringMatching(/^gcp:region in Pulumi\.prod\.yaml is read by nothing: .*remove gcp:region$/),
    ]);
    expect(() => withProjectConfig(config, STACK_PROGRAM, "prod")).toThrow(
      /gcp:project in Pulumi\.prod\.yaml/,
    );
  });
});

describe("the CLI's reading of Pulumi.yaml", () => {
  const project: PulumiProject = {
    name: "p",
    config: {
      size: { default: 3 },
      "p:tier": { type: "string", default: "gold" },
      other: { type: "integer" },
      "aws:region": { value: "us-west-2" },
    },
  };

  it("merges defaults and another namespace's values into the stack; requires only the project's own keys", () => {
    const { config, problems } = applyProjectConfig(project, "dev", {});
    expect(config).toEqual({ "p:size": 3, "p:tier": "gold", "aws:region": "us-west-2" });
    expect(problems).toEqual([expect.stringContaining("Stack 'dev' is missing configuration value 'other'")]);
  });

  it("refuses a default of the wrong type and a typed key of another namespace", () => {
    const bad: PulumiProject = {
      name: "p",
      config: { n: { type: "integer", default: "x" }, "gcp:project": { type: "string", value: "a" } },
    };
    expect(applyProjectConfig(bad, "dev", {}).problems).toEqual([
      "Pulumi.yaml: 'gcp:project' is not namespaced by the project, so it takes a 'value' only (no 'type' or 'default')",
      "Pulumi.yaml: the default of 'n' is not of the expected type 'integer'",
    ]);
  });

  it("types as ValidateConfigValue checks them: scalars of a stack file arrive as text", () => {
    expect(matchesType("integer", undefined, "8080")).toBe(true);
    expect(matchesType("integer", undefined, 1.5)).toBe(false);
    expect(matchesType("boolean", undefined, "true")).toBe(true);
    expect(matchesType("boolean", undefined, "yes")).toBe(false);
    expect(matchesType("array", { type: "string" }, ["a", 1])).toBe(false);
    expect(matchesType("array", undefined, ["a"])).toBe(false);
  });
});

describe("the rest of what the CLI checks in project config (pulumi/pulumi project.json, project.go, config.go)", () => {
  const project = (config: PulumiProject["config"]): PulumiProject => ({ name: "p", config });
  it("refuses an unknown attribute (a misspelt `defualt`) rather than treating the key as required", () => {
    const { problems } = applyProjectConfig(
      project({ k: { type: "string", defualt: "x" } as never }),
      "s",
      {},
    );
    expect(problems).toEqual([
      expect.stringMatching(/^Pulumi\.yaml: 'k' has 'defualt', which a config entry cannot have/),
    ]);
  });
  it("refuses an entry with both a default and a value", () => {
    const { problems } = applyProjectConfig(project({ k: { default: "a", value: "b" } }), "s", {});
    expect(problems).toEqual(["Pulumi.yaml: 'k' cannot have both a 'default' and a 'value'"]);
  });
  it("requires a secret key's value to be encrypted, and type-checks an encrypted value only once decrypted", () => {
    const secret = project({ k: { type: "string", secret: true } });
    expect(applyProjectConfig(secret, "s", { "p:k": "plain" }).problems).toEqual([
      "Stack 's' with configuration key 'k' must be encrypted as it's secret",
    ]);
    expect(applyProjectConfig(secret, "s", { "p:k": { secure: "v1:abc" } }).problems).toEqual([]);
    const typed = project({ n: { type: "integer" } });
    expect(applyProjectConfig(typed, "s", { "p:n": { secure: "v1:abc" } }).problems).toEqual([]);
  });
});
