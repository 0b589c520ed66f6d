/**
 * The README's configuration table states each default once more, for people; this keeps
 * it equal to the defaults objects the config model and the components read, and keeps
 * its rows equal to the config model's keys.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { BATCHING_DEFAULTS, BATCHING_LIMITS, WORKER_DEFAULTS } from "../../contract";
import { ANALYTICS_DEFAULTS } from "../../components/analytics/defaults";
import { PLATFORM_DEFAULTS } from "../../components/config/defaults";
import { DEFAULT_SCALING_MODE } from "../../components/config/scaling";
import { platformConfigSchema } from "../../components/config/schema";
import { FEATURE_STORE_DEFAULTS } from "../../components/featureStore/defaults";
import { MESSAGING_DEFAULTS } from "../../components/messaging/defaults";
import { NETWORK_DEFAULTS } from "../../components/network/defaults";
import { ALERTS_DEFAULTS } from "../../components/observability/defaults";
import { ENDPOINT_DEFAULTS, MODEL_DEFAULTS } from "../../components/serving/defaults";
import { WORKER_POOL_DEFAULTS } from "../../components/workerDeployment/defaults";
import { stackConfig } from "../helpers/stackConfig";

interface Row {
  key: string;
  meaning: string;
  defaults: string;
}

/** The rows of the table in README.md's "## Configuration" section. */
function configTable(): Row[] {
  const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
  const section = /^## Configuration\n([\s\S]*?)^## /m.exec(readme)?.[1];
  if (section === undefined) throw new Error("README.md has no '## Configuration' section");
  return section
    .split("\n")
    .filter((line) => /^\| `[^`]+` \|/.test(line))
    .map((line) => {
      const cells = line
        .slice(1, -1)
        .split(" | ")
        .map((c) => c.trim());
      if (cells.length !== 3) throw new Error(`README config row without 3 cells: ${line}`);
      return { key: cells[0]!.replace(/`/g, ""), meaning: cells[1]!, defaults: cells[2]! };
    });
}

const code = (v: string | number | boolean) => `\`${String(v)}\``;
const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;
const days = (seconds: number) => {
  const d = seconds / 86_400;
  return d === 1 ? "1 day" : `${d} days`;
};
const M = MESSAGING_DEFAULTS;
const F = FEATURE_STORE_DEFAULTS;
const B = BATCHING_DEFAULTS;
const A = ALERTS_DEFAULTS;

/** The defaults column of each row that has defaults in code, written from the defaults objects. */
const EXPECTED_DEFAULTS: Record<string, string> = {
  failoverMode: code(PLATFORM_DEFAULTS.failoverMode),
  network: `${code(NETWORK_DEFAULTS.baseCidr)}, ${code(NETWORK_DEFAULTS.privateServicesCidr)}`,
  messaging:
    `${M.ackDeadlineSeconds}, ${M.maxDeliveryAttempts}, ${M.minimumBackoffSeconds}-${M.maximumBackoffSeconds} s, ` +
    `${days(M.messageRetentionSeconds)}, ${code(M.enforceInTransit)}`,
  featureStore: `${F.minNodes}, ${F.maxNodes}, ${F.cpuTargetPercent}, ${F.storageType}, ${F.featureMaxAgeDays}`,
  analytics: `the US/EU multi-region holding all regions, ${ANALYTICS_DEFAULTS.partitionExpirationDays}`,
  model: `machine/GPU/replicas required; ${code(MODEL_DEFAULTS.autoscalingMetric)}`,
  endpoint: `${code(ENDPOINT_DEFAULTS.connectivity)}, ${code(ENDPOINT_DEFAULTS.predictProtocol)}, ${code(ENDPOINT_DEFAULTS.warmStandby)}, unset (TLS unverified for the PSC host only)`,
  worker:
    `${DEFAULT_SCALING_MODE}, ` +
    `${WORKER_POOL_DEFAULTS.cpu}, ${WORKER_POOL_DEFAULTS.memory}, ${B.maxBatchSize}, ${B.maxBatchDelayMs}, ` +
    `${B.maxInFlight}, ${B.predictTimeoutMs}, ${WORKER_DEFAULTS.featureCacheTtlMs}, ${B.pullStreams}`,
  alerts:
    `${percent(A.freshnessGoal)} fresh within ${A.freshnessThresholdSeconds} s; ` +
    `${percent(A.correctnessGoal)} not dead-lettered`,
};

describe("the README's configuration table", () => {
  const rows = configTable();
  const byKey = new Map(rows.map((r) => [r.key, r]));

  it("has one row per top-level key of the config model, and no other top-level row", () => {
    const schemaKeys = Object.keys(platformConfigSchema.shape).sort();
    const topLevel = rows.map((r) => r.key).filter((k) => !k.includes("."));
    expect(topLevel.sort()).toEqual(schemaKeys);
    expect(rows.length).toBe(byKey.size);
  });

  it("names only model keys that exist in its dotted rows", () => {
    const modelKeys = Object.keys(platformConfigSchema.shape.model.shape);
    for (const row of rows.filter((r) => r.key.includes("."))) {
      const [section, key] = row.key.split(".");
      expect(section).toBe("model");
      expect(modelKeys).toContain(key);
    }
  });

  it.each(Object.entries(EXPECTED_DEFAULTS))(
    "states the defaults of %s as the code has them",
    (key, expected) => {
      expect(byKey.get(key)?.defaults).toBe(expected);
    },
  );

  it("states the model's display name default and the pull-stream and delivery-attempt ranges", () => {
    expect(byKey.get("model")?.meaning).toContain(
      `${code("displayName")} (default ${code(MODEL_DEFAULTS.displayName)})`,
    );
    const { min, max } = BATCHING_LIMITS.pullStreams;
    expect(byKey.get("worker")?.meaning).toContain(
      `${code("pullStreams")} (streaming-pull streams, ${min}-${max};`,
    );
  });

  it("checks defaults the config model really applies (a stack that sets none of them)", () => {
    const config = stackConfig("staging", {
      network: undefined,
      messaging: undefined,
      featureStore: undefined,
      analytics: undefined,
      endpoint: undefined,
      worker: undefined,
      failoverMode: undefined,
      alerts: { notificationEmails: ["oncall@example.com"] },
    });
    expect(config.network).toEqual(NETWORK_DEFAULTS);
    expect(config.messaging).toEqual(MESSAGING_DEFAULTS);
    expect(config.featureStore).toEqual(FEATURE_STORE_DEFAULTS);
    expect(config.analytics).toEqual(ANALYTICS_DEFAULTS);
    expect(config.endpoint).toEqual(ENDPOINT_DEFAULTS);
    expect(config.failoverMode).toBe(PLATFORM_DEFAULTS.failoverMode);
    expect(config.worker).toMatchObject({
      ...WORKER_POOL_DEFAULTS,
      maxBatchSize: B.maxBatchSize,
      maxBatchDelayMs: B.maxBatchDelayMs,
      maxInFlight: B.maxInFlight,
      predictTimeoutMs: B.predictTimeoutMs,
      pullStreams: B.pullStreams,
      featureCacheTtlMs: WORKER_DEFAULTS.featureCacheTtlMs,
    });
    expect(config.alerts).toMatchObject(ALERTS_DEFAULTS);
  });
});
