/**
 * What the validated config implies: names, locations, which regions serve.
 * Kept apart from the schema so components and tests share one derivation.
 */
import type { PlatformConfig } from "./schema";
import { bigQueryLocationOf, multiRegionOf } from "../../contract/gcp";

export interface Topology {
  /** Prefix of every resource name. */
  prefix: string;
  /** This deployment's id, part of the names Google never frees (KMS key rings). */
  deploymentId: string;
  /** Every configured region, in config order (the order subnets are numbered in). */
  regions: string[];
  activeRegion: string;
  /** Regions where a worker runs: the active one, or all in active-active mode. */
  workerRegions: string[];
  /** Regions with a Vertex endpoint: the worker regions, plus a warm standby if configured. */
  endpointRegions: string[];
  /** Cloud KMS location of keys for Pub/Sub, BigQuery and Artifact Registry ("us", "europe" or "global"). */
  sharedKeyLocation: string;
  /** BigQuery dataset location ("US", "EU" or a region). */
  analyticsLocation: string;
  /** Deletion protection on Bigtable and BigQuery. */
  deletionProtection: boolean;
  /** Labels on every resource that takes them. */
  labels: Record<string, string>;
  /** The /20 subnet of each region. */
  subnetCidrs: Record<string, string>;
}

/** Carves the i-th /20 out of a 10.x.0.0/16. */
export function subnetCidr(baseCidr: string, index: number): string {
  const second = baseCidr.split(".")[1];
  return `10.${second}.${index * 16}.0/20`;
}

export function topologyOf(config: PlatformConfig): Topology {
  const multi = multiRegionOf(config.regions[0] ?? "");
  const sameArea = multi !== undefined && config.regions.every((r) => multiRegionOf(r) === multi);
  const workerRegions = config.failoverMode === "active-active" ? [...config.regions] : [config.activeRegion];
  const endpointRegions =
    config.failoverMode === "standby" && config.endpoint.warmStandby ? [...config.regions] : workerRegions;
  const analyticsLocation = config.analytics.location ?? (multi ? bigQueryLocationOf(multi) : "");
  return {
    prefix: config.namePrefix ?? `si-${config.environment}`,
    deploymentId: config.deploymentId,
    regions: [...config.regions],
    activeRegion: config.activeRegion,
    workerRegions,
    endpointRegions,
    sharedKeyLocation: sameArea ? multi : "global",
    analyticsLocation,
    deletionProtection: config.deletionProtection ?? config.environment === "prod",
    labels: {
      env: config.environment,
      team: config.labels.team,
      "cost-center": config.labels["cost-center"],
      "managed-by": "pulumi",
    },
    subnetCidrs: Object.fromEntries(
      config.regions.map((r, i) => [r, subnetCidr(config.network.baseCidr, i)]),
    ),
  };
}
