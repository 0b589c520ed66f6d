/**
 * A stack can be destroyed and brought up again: `npm run plan` renders the prod stack, a
 * registry of the project's names takes what Google never frees (KMS key rings and keys), the
 * stack is destroyed (those names stay taken), and the next up, with the new deploymentId the
 * destroy leaves behind (tools/e2e/cloud.ts), must collide with nothing. The same up without a
 * new id collides, which is what this test exists to catch.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newDeploymentId } from "../../../components/encryption";
import type { RecordedResource } from "../../../tools/plan/mocks";
import { NameRegistry, neverFreedNames } from "../../../tools/plan/neverFreed";
import { REPO_ROOT } from "../../helpers/stackConfig";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "destroy-up-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function render(configFile: string, out: string): Promise<RecordedResource[]> {
  return new Promise((resolve, reject) => {
    execFile(
      path.join(REPO_ROOT, "node_modules/.bin/tsx"),
      ["scripts/plan.ts", "--config", configFile, "--json", out],
      { cwd: REPO_ROOT, timeout: 240_000, maxBuffer: 64 * 1024 * 1024 },
      (error, _stdout, stderr) =>
        error
          ? reject(new Error(`${error.message}\n${stderr}`))
          : resolve(
              (JSON.parse(fs.readFileSync(out, "utf8")) as { resources: RecordedResource[] }).resources,
            ),
    );
  });
}

let first: RecordedResource[];
let again: RecordedResource[];
let renewedId: string;

beforeAll(async () => {
  const prod = fs.readFileSync(path.join(REPO_ROOT, "Pulumi.prod.yaml"), "utf8");
  renewedId = newDeploymentId();
  const renewed = path.join(tmp, "Pulumi.prod.yaml");
  fs.writeFileSync(renewed, prod.replace(/deploymentId: \w+/, `deploymentId: ${renewedId}`));
  [first, again] = await Promise.all([
    render(path.join(REPO_ROOT, "Pulumi.prod.yaml"), path.join(tmp, "first.json")),
    render(renewed, path.join(tmp, "again.json")),
  ]);
}, 300_000);

describe("up -> destroy -> up (prod)", () => {
  it("key ring names carry the deployment id", () => {
    const rings = first.filter((r) => r.type === "gcp:kms/keyRing:KeyRing").map((r) => r.inputs.name);
    expect(rings.sort()).toEqual([
      "si-prod-us-central1-e7acd5",
      "si-prod-us-e7acd5",
      "si-prod-us-east1-e7acd5",
    ]);
  });

  it("the second up, with the id the destroy leaves, collides with no name the first one spent", () => {
    const registry = new NameRegistry();
    const spent = neverFreedNames(first, "acme-ml-prod");
    expect(spent.length).toBeGreaterThan(3); // key rings and keys
    expect(registry.up(spent)).toEqual([]);
    registry.destroy();
    expect(registry.up(neverFreedNames(again, "acme-ml-prod"))).toEqual([]);
  });

  it("the same up again without a new id collides on every key ring and key", () => {
    const registry = new NameRegistry();
    const spent = neverFreedNames(first, "acme-ml-prod");
    registry.up(spent);
    registry.destroy();
    const collisions = registry.up(neverFreedNames(first, "acme-ml-prod"));
    expect(collisions).toEqual(spent);
    expect(collisions).toContain("projects/acme-ml-prod/locations/us/keyRings/si-prod-us-e7acd5");
  });

  it("newDeploymentId gives 6 hex digits, the form deploymentId accepts", () => {
    expect(renewedId).toMatch(/^[0-9a-f]{6}$/);
    expect(newDeploymentId(() => Buffer.from([0, 1, 255]))).toBe("0001ff");
  });
});
