import type { Policies } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { formatViolations, hasMandatoryViolations, runPolicies } from "../../policies/src";
import { subscription, topic } from "./fixtures/compliantResources";
import { planned, withInput } from "./harness";

const noKey = withInput(topic, "kmsKeyName", undefined);

describe("runPolicies (the pack without the CLI)", () => {
  it("reports the policy, its level, the resource's URN and the message", async () => {
    expect(await runPolicies([noKey])).toEqual([
      {
        policy: "cmek-required",
        level: "mandatory",
        resource: noKey.urn,
        message:
          'Pub/Sub topic "events-topic" names no KMS key: set kmsKeyName to a Cloud KMS key in "us" or "global".',
      },
    ]);
  });

  it("applies enforcement levels from the pack config: per policy, as a string or an object, or for all", async () => {
    const levels = async (config: Parameters<typeof runPolicies>[1]) =>
      (await runPolicies([noKey], config)).map((v) => v.level);
    expect(await levels({ config: { "cmek-required": "advisory" } })).toEqual(["advisory"]);
    expect(await levels({ config: { "cmek-required": { enforcementLevel: "disabled" } } })).toEqual([]);
    expect(await levels({ config: { all: "advisory" } })).toEqual(["advisory"]);
    // A policy's own entry wins over `all`; `remediate` reports as mandatory, like the CLI.
    expect(await levels({ config: { all: "advisory", "cmek-required": "remediate" } })).toEqual([
      "mandatory",
    ]);
  });

  it("builds isType and asType from the type token, and links parents for stack policies", async () => {
    const seen: string[] = [];
    const TopicClass = { __pulumiType: "gcp:pubsub/topic:Topic" };
    const probe: Policies = [
      {
        name: "probe-resource",
        description: "test",
        validateResource: (args) => {
          if (args.isType(TopicClass as never))
            seen.push(`topic ${args.name} ${String(args.asType(TopicClass as never) !== undefined)}`);
        },
      },
      {
        name: "probe-stack",
        description: "test",
        validateStack: (args) => {
          for (const r of args.resources) seen.push(`${r.name} parent=${r.parent?.name ?? "-"}`);
        },
      },
    ];
    const child = { ...subscription, parent: topic.urn };
    await runPolicies([topic, child], { policies: probe });
    expect(seen).toEqual([
      "topic events-topic true",
      "events-topic parent=-",
      "events-us-central1 parent=events-topic",
    ]);
  });

  it("gives each policy its own settings from the pack config, without the enforcement level", async () => {
    let settings: object | undefined;
    const probe: Policies = [
      { name: "probe", description: "test", validateResource: (args) => void (settings = args.getConfig()) },
    ];
    await runPolicies([topic], {
      policies: probe,
      config: { probe: { enforcementLevel: "advisory", limit: 3 } },
    });
    expect(settings).toEqual({ limit: 3 });
  });

  it("reports a policy that reads a value unknown at preview as advisory, like the CLI", async () => {
    const preview = planned("gcp:pubsub/subscription:Subscription", "sub", {
      topic: pulumi.runtime.unknownValue,
    });
    const violations = await runPolicies([preview], {
      policies: [
        {
          name: "reads-topic",
          description: "test",
          validateResource: (args) => void String(args.props.topic),
        },
      ],
    });
    expect(violations).toEqual([
      {
        policy: "reads-topic",
        level: "advisory",
        resource: preview.urn,
        message:
          "can't run policy reads-topic during preview: string value at .topic can't be known during preview",
      },
    ]);
  });

  it("names the policy and the resource when a policy throws", async () => {
    const broken: Policies = [
      {
        name: "broken",
        description: "test",
        validateResource: () => {
          throw new Error("boom");
        },
      },
    ];
    await expect(runPolicies([topic], { policies: broken })).rejects.toThrow(
      `policy broken failed on ${topic.urn}: boom`,
    );
  });
});

describe("formatViolations", () => {
  it("groups violations by policy, mandatory and advisory counted", async () => {
    const violations = await runPolicies([noKey, withInput(noKey, "labels", undefined)], {
      config: { "labels-required": "advisory" },
    });
    expect(hasMandatoryViolations(violations)).toBe(true);
    expect(formatViolations(violations)).toBe(
      [
        "Policy violations: 2 mandatory, 1 advisory",
        "  cmek-required [mandatory] (2)",
        '    - Pub/Sub topic "events-topic" names no KMS key: set kmsKeyName to a Cloud KMS key in "us" or "global".',
        '    - Pub/Sub topic "events-topic" names no KMS key: set kmsKeyName to a Cloud KMS key in "us" or "global".',
        "  labels-required [advisory] (1)",
        '    - Pub/Sub topic "events-topic" lacks label(s) env, team, cost-center: add them to labels.',
      ].join("\n"),
    );
  });

  it("says so when there is nothing to report", () => {
    expect(formatViolations([])).toBe("Policy violations: none");
    expect(hasMandatoryViolations([{ policy: "p", level: "advisory", message: "m" }])).toBe(false);
  });
});
