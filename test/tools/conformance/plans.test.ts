/**
 * The rendered plans (prod, staging, the example) against Google's own definitions and the
 * prerequisites: no field or enum value outside the public protos, the dashboard a fixed point of
 * its proto, an enabled API for every resource, and the roles the docs list equal to the ones
 * derived from the plan. One render per plan, spawned as `npm run plan` runs.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiOf, apisFor, needsNoApi } from "../../../components/prerequisites";
import { conformanceFindings } from "../../../tools/conformance/conformance";
import type { RecordedResource } from "../../../tools/plan/mocks";
import { ROLES, rolesFor } from "../../../tools/plan/roles";
import { REPO_ROOT } from "../../helpers/stackConfig";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plans-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const PLANS = {
  prod: ["--stack", "prod"],
  staging: ["--stack", "staging"],
  example: ["--config", "examples/platform/Pulumi.example.yaml", "--program", "examples/platform/index.ts"],
} as const;
type PlanName = keyof typeof PLANS;

function render(name: PlanName): Promise<RecordedResource[]> {
  const out = path.join(tmp, `${name}.json`);
  return new Promise((resolve, reject) => {
    execFile(
      path.join(REPO_ROOT, "node_modules/.bin/tsx"),
      ["scripts/plan.ts", ...PLANS[name], "--json", out],
      { cwd: REPO_ROOT, timeout: 280_000, maxBuffer: 64 * 1024 * 1024 },
      (error, _stdout, stderr) =>
        error
          ? reject(new Error(`${name}: ${error.message}\n${stderr}`))
          : resolve(
              (
                JSON.parse(fs.readFileSync(out, "utf8")) as { resources: Omit<RecordedResource, "custom">[] }
              ).resources.map((r) => ({
                ...r,
                custom: !needsNoApi(r.type) || r.type.startsWith("pulumi:providers:"),
              })),
            ),
    );
  });
}

const plans = {} as Record<PlanName, RecordedResource[]>;
beforeAll(async () => {
  const names = Object.keys(PLANS) as PlanName[];
  const rendered = await Promise.all(names.map(render));
  names.forEach((n, i) => (plans[n] = rendered[i]!));
}, 300_000);

describe.each(Object.keys(PLANS) as PlanName[])("the %s plan", (name) => {
  it("has no field or enum value outside Google's public protos, and a dashboard that is a fixed point", () => {
    expect(conformanceFindings(plans[name])).toEqual([]);
    const dashboards = plans[name].filter((r) => r.type === "gcp:monitoring/dashboard:Dashboard");
    expect(dashboards.length).toBeGreaterThan(0);
  });

  it("enables an API for every resource (never disabled on destroy), and each resource waits for its own", () => {
    const services = plans[name].filter((r) => r.type === "gcp:projects/service:Service");
    const byApi = new Map(services.map((s) => [s.inputs.service as string, s.urn]));
    for (const s of services) expect(s.inputs.disableOnDestroy).toBe(false);
    for (const r of plans[name]) {
      if (needsNoApi(r.type) || !r.urn.includes("StreamingInferencePlatform")) continue;
      const api = apiOf(r.type, r.inputs);
      expect(api, `${r.type} ${r.name} has no API`).toBeDefined();
      expect(r.dependencies, `${r.type} ${r.name} waits for ${api}`).toContain(byApi.get(api!));
    }
  });
});

describe("the prod plan's prerequisites", () => {
  it("enables parametermanager.googleapis.com for CREMA's configuration", () => {
    const apis = plans.prod
      .filter((r) => r.type === "gcp:projects/service:Service")
      .map((r) => r.inputs.service);
    expect(apis).toContain("parametermanager.googleapis.com");
  });

  it("needs Service Account User (actAs on Cloud Run identities) and Compute Security Admin (firewall rules)", () => {
    const roles = rolesFor(plans.prod);
    const byId = new Map(roles.map((n) => [n.role.id, n.types]));
    expect(byId.get(ROLES.serviceAccountUser.id)).toContain("gcp:cloudrunv2/workerPool:WorkerPool");
    expect(byId.get(ROLES.securityAdmin.id)).toEqual(["gcp:compute/firewall:Firewall"]);
    expect(byId.get(ROLES.networkAdmin.id)).not.toContain("gcp:compute/firewall:Firewall");
  });

  it("the README lists exactly the roles and APIs derived from the plan", () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### What the deploying identity needs"));
    const rolesLine = section.slice(section.indexOf("Roles: "), section.indexOf("\nGPU quota"));
    expect([...rolesLine.matchAll(/`(roles\/[\w.]+)`/g)].map((m) => m[1]).sort()).toEqual(
      rolesFor(plans.prod).map((n) => n.role.id),
    );
    const apisLine = section.slice(section.indexOf("APIs: "), section.indexOf("(`.googleapis.com`)"));
    expect([...apisLine.matchAll(/`(\w+)`/g)].map((m) => `${m[1]}.googleapis.com`).sort()).toEqual(
      apisFor(plans.prod),
    );
  });

  it("docs/deploying.md lists exactly the APIs derived from the plan", () => {
    const doc = fs.readFileSync(path.join(REPO_ROOT, "docs/deploying.md"), "utf8");
    const list = doc.slice(doc.indexOf("(for prod: "), doc.indexOf(")", doc.indexOf("(for prod: ")));
    expect([...list.matchAll(/([\w]+\.googleapis\.com)/g)].map((m) => m[1]).sort()).toEqual(
      apisFor(plans.prod),
    );
  });
});
