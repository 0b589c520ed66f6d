/**
 * Failing over is one config change (`activeRegion`) and `pulumi up`. It must replace no
 * data-bearing resource: topics, subscriptions, Bigtable, BigQuery, keys, the image
 * repository, and not the provider (a provider change can replace everything it manages).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { checkCremaConfig, triggerSubscriptionIds } from "../../components/workerDeployment/cremaConfig";
import {
  diffRenders,
  renderVariant,
  shortUrn,
  type RenderDiff,
  type Rendered,
} from "../helpers/renderVariants";

const DATA_BEARING = [
  "gcp:pubsub/topic:Topic",
  "gcp:pubsub/subscription:Subscription",
  "gcp:bigtable/instance:Instance",
  "gcp:bigtable/table:Table",
  "gcp:bigtable/appProfile:AppProfile",
  "gcp:bigquery/dataset:Dataset",
  "gcp:bigquery/table:Table",
  "gcp:kms/keyRing:KeyRing",
  "gcp:kms/cryptoKey:CryptoKey",
  "gcp:artifactregistry/repository:Repository",
  "pulumi:providers:gcp",
];
const isDataBearing = (urn: string) => DATA_BEARING.some((t) => urn.includes(`${t}::`));

function report(title: string, d: RenderDiff): void {
  const lines = [
    `${title}: ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed`,
    ...d.added.map((u) => `  + ${shortUrn(u)}`),
    ...d.removed.map((u) => `  - ${shortUrn(u)}`),
    ...d.changed.map((u) => `  ~ ${shortUrn(u)}`),
  ];
  console.log(lines.join("\n"));
}

/** What each backlog autoscaler (CREMA) in a render scales, and on which subscription's backlog. */
function autoscalers(r: Rendered): { region: unknown; pool: string; subscription: string }[] {
  const services = r.resources.filter(
    (res) => res.type === "gcp:cloudrunv2/service:Service" && String(res.inputs.name).includes("-crema-"),
  );
  const configs = r.resources
    .filter((res) => res.type === "gcp:parametermanager/parameterVersion:ParameterVersion")
    .map((res) => cremaTarget(String(res.inputs.parameterData)));
  expect(configs.length).toBe(services.length);
  return services.map((svc, i) => ({
    region: svc.inputs.location,
    pool: "",
    subscription: "",
    ...configs[i],
  }));
}

function cremaTarget(data: string): { pool: string; subscription: string } {
  const config = checkCremaConfig(JSON.parse(data));
  const so = config.spec.scaledObjects[0]?.spec;
  // Every trigger (backlog and oldest age) reads the same subscription.
  const ids = [...new Set(triggerSubscriptionIds(config)[0])];
  return { pool: so?.scaleTargetRef.name ?? "", subscription: ids.join(",") };
}

function dataBearing(r: Rendered) {
  return r.resources.filter((res) => isDataBearing(res.urn));
}

describe.each([
  { stack: "prod" as const, mode: "standby, warm standby endpoint" },
  { stack: "staging" as const, mode: "standby, no warm standby" },
])("failing over $stack ($mode) from us-central1 to us-east1", ({ stack }) => {
  let before: Rendered;
  let after: Rendered;
  let diff: RenderDiff;

  beforeAll(async () => {
    [before, after] = await Promise.all([
      renderVariant(stack, "central", { activeRegion: "us-central1" }),
      renderVariant(stack, "east", { activeRegion: "us-east1" }),
    ]);
    diff = diffRenders(before, after);
    report(`${stack}: activeRegion us-central1 -> us-east1`, diff);
  }, 240_000);

  it("keeps every data-bearing resource, with the same URN and the same inputs", () => {
    expect(dataBearing(before).length).toBeGreaterThan(15);
    expect([...diff.added, ...diff.removed, ...diff.changed].filter(isDataBearing)).toEqual([]);
    expect(dataBearing(after).map((r) => r.urn)).toEqual(dataBearing(before).map((r) => r.urn));
  });

  it("moves only regional serving resources, each named by its own region", () => {
    for (const urn of [...diff.added, ...diff.removed]) {
      expect(urn.split("::").pop()).toMatch(/-(us-central1|us-east1)(-|$)/);
    }
    expect(diff.removed.some((u) => u.includes("WorkerPool::si-") && u.includes("us-central1"))).toBe(true);
    expect(diff.added.some((u) => u.includes("WorkerPool::si-") && u.includes("us-east1"))).toBe(true);
  });

  it("moves the backlog autoscaler with the worker; the standby subscription drives nothing", () => {
    const project = `acme-ml-${stack}`;
    expect(autoscalers(before)).toEqual([
      {
        region: "us-central1",
        pool: `projects/${project}/locations/us-central1/workerPools/si-${stack}-worker-us-central1`,
        subscription: `si-${stack}-events-us-central1`,
      },
    ]);
    expect(autoscalers(after)).toEqual([
      {
        region: "us-east1",
        pool: `projects/${project}/locations/us-east1/workerPools/si-${stack}-worker-us-east1`,
        subscription: `si-${stack}-events-us-east1`,
      },
    ]);
    expect(
      diff.removed.some((u) => u.includes(`cloudrunv2/service:Service::si-${stack}-worker-us-central1`)),
    ).toBe(true);
    expect(
      diff.added.some((u) => u.includes(`cloudrunv2/service:Service::si-${stack}-worker-us-east1`)),
    ).toBe(true);
  });
});

describe("failing over in active-active mode", () => {
  it("changes no resource at all: both regions already consume and serve", async () => {
    const [before, after] = await Promise.all([
      renderVariant("prod", "aa-central", { failoverMode: "active-active", activeRegion: "us-central1" }),
      renderVariant("prod", "aa-east", { failoverMode: "active-active", activeRegion: "us-east1" }),
    ]);
    const diff = diffRenders(before, after);
    report("prod active-active: activeRegion us-central1 -> us-east1", diff);
    expect(diff).toEqual({ added: [], removed: [], changed: [] });
    const pools = before.resources.filter((r) => r.type === "gcp:cloudrunv2/workerPool:WorkerPool");
    expect(pools.map((p) => p.inputs.location)).toEqual(["us-central1", "us-east1"]);
    // Each region's pool has its own autoscaler, on its own region's subscription.
    expect(autoscalers(before).map((a) => [a.region, a.subscription])).toEqual([
      ["us-central1", "si-prod-events-us-central1"],
      ["us-east1", "si-prod-events-us-east1"],
    ]);
  }, 240_000);
});
