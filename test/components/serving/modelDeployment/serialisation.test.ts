/**
 * The dynamic provider is stored in the Pulumi state as serialised JavaScript and run
 * later by the engine, so check and diff must still work after a round trip through
 * Pulumi's closure serialiser, and no live client may be captured.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { ModelDeploymentProvider } from "../../../../components/serving/modelDeployment";
import { VALID_INPUTS } from "./modelInputs";

const valid = VALID_INPUTS;

describe("serialised ModelDeploymentProvider", () => {
  it("checks and diffs after a round trip through the closure serialiser", async () => {
    const provider = new ModelDeploymentProvider();
    const serialised = await pulumi.runtime.serializeFunction(() => provider);

    // Inside the repo, so `require` resolves node_modules as it does in the stack's directory.
    const scratch = path.join(__dirname, "../../../../.local");
    fs.mkdirSync(scratch, { recursive: true });
    const dir = fs.mkdtempSync(path.join(scratch, "provider-"));
    const file = path.join(dir, "provider.js");
    fs.writeFileSync(file, serialised.text);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const revived = (require(file) as { handler: () => ModelDeploymentProvider }).handler();

    const bad = { ...valid, minReplicas: 10 };
    expect((await revived.check(bad, bad)).failures).toEqual([
      { property: "minReplicas", reason: "minReplicas (10) must not exceed maxReplicas (8)" },
    ]);
    const olds = { ...valid, model: "m", modelVersionId: "1", deployedModelId: "d" };
    expect(await revived.diff("id", olds, { ...valid, maxReplicas: 9 })).toMatchObject({ replaces: [] });
    expect(await revived.diff("id", olds, { ...valid, servingImage: "x/y:v8" })).toMatchObject({
      replaces: ["servingImage"],
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
