/**
 * Other Pulumi languages see the components through the schema Pulumi infers from the
 * TypeScript source (PulumiPlugin.yaml). This generates it offline, as the plugin host
 * does: the package's `main` module's component classes, analysed by the SDK's
 * `ComponentProvider` (no CLI, no engine).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { parse } from "yaml";
import * as plugin from "../../components/packagePlugin/components";
import { REPO_ROOT } from "../helpers/stackConfig";

interface Property {
  type?: string;
  $ref?: string;
  plain?: boolean;
  description?: string;
}
interface Schema {
  name: string;
  resources: Record<
    string,
    {
      isComponent: boolean;
      inputProperties: Record<string, Property>;
      requiredInputs: string[];
      properties: Record<string, Property>;
    }
  >;
  types: Record<
    string,
    { type: string; properties?: Record<string, Property>; enum?: { name: string; value: string }[] }
  >;
}

let schema: Schema;

beforeAll(async () => {
  const provider = new ComponentProvider({
    components: getPulumiComponents(plugin),
    name: "streaming-inference",
    dirname: REPO_ROOT,
  });
  schema = JSON.parse(await provider.getSchema()) as Schema;
}, 180_000);

describe("the component plugin", () => {
  it("is a nodejs plugin whose main module is the plugin entry", () => {
    expect(parse(fs.readFileSync(path.join(REPO_ROOT, "PulumiPlugin.yaml"), "utf8"))).toEqual({
      runtime: "nodejs",
    });
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { main: string };
    expect(pkg.main).toBe("dist/components/plugin.js");
  });

  it("describes each exported component under its own type token", () => {
    expect(schema.name).toBe("streaming-inference");
    expect(Object.keys(schema.resources).sort()).toEqual([
      "streaming-inference:index:InferenceEndpoint",
      "streaming-inference:index:InferenceWorker",
      "streaming-inference:index:Observability",
      "streaming-inference:index:StreamingInferencePlatform",
      "streaming-inference:index:WorkerImage",
    ]);
    expect(Object.values(schema.resources).every((r) => r.isComponent)).toBe(true);
  });

  it("takes the platform's whole config as typed, documented objects, with enums for choices", () => {
    const platform = schema.resources["streaming-inference:index:StreamingInferencePlatform"]!;
    expect(platform.requiredInputs).toEqual(["config"]);
    expect(platform.inputProperties.config?.$ref).toBe("#/types/streaming-inference:index:PlatformSettings");
    const settings = schema.types["streaming-inference:index:PlatformSettings"]!;
    expect(Object.keys(settings.properties ?? {}).sort()).toEqual(
      [
        "projectId",
        "environment",
        "namePrefix",
        "deploymentId",
        "enableApis",
        "regions",
        "activeRegion",
        "failoverMode",
        "labels",
        "deletionProtection",
        "network",
        "messaging",
        "featureStore",
        "analytics",
        "model",
        "endpoint",
        "worker",
        "alerts",
      ].sort(),
    );
    expect(settings.properties?.activeRegion?.description).toContain("fail over");
    expect(schema.types["streaming-inference:index:FailoverMode"]?.enum?.map((e) => e.value)).toEqual([
      "standby",
      "active-active",
    ]);
    expect(schema.types["streaming-inference:index:ModelSettings"]?.properties?.acceleratorType?.type).toBe(
      "string",
    );
  });

  it("gives a consumer the platform's outputs", () => {
    const outputs = schema.resources["streaming-inference:index:StreamingInferencePlatform"]!.properties;
    for (const name of [
      "eventsTopic",
      "predictionsTopic",
      "eventsSubscriptions",
      "endpointIds",
      "datasetId",
      "dashboardUrl",
    ]) {
      expect(outputs[name], name).toBeDefined();
    }
    expect(outputs.eventsSubscriptions).toMatchObject({
      type: "object",
      additionalProperties: { type: "string" },
    });
  });
});
