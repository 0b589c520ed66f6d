/**
 * The feature store: a Bigtable instance replicated across the platform's regions (one
 * CMEK-encrypted, autoscaled cluster per region), a multi-cluster-routing app profile
 * for the worker (a regional outage fails reads over), and the features table with its
 * garbage-collection policy.
 *
 * Row layout, for the team that writes the table (docs/models.md): row key = entity id;
 * family `f`, one column per feature (qualifier = the declared feature's name); the newest
 * cell is read, its value UTF-8 text encoded by the feature's type (`CELL_ENCODING` in
 * contract/modelIo.ts): decimal for `number`, the text for `string`, `true`/`false`, and a
 * JSON array for `number[]`/`string[]`. Columns no declared feature names are ignored.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { FEATURE_STORE_DEFAULTS } from "./defaults";
import { FEATURE_TABLE } from "../../contract";
import { grantsOf, type KeyRef } from "../encryption/keyRef";
import { clusterIdFor, clusterZoneFor } from "./clusterIds";

export interface FeatureStoreArgs {
  /** Project of the instance. Defaults to the provider's project. */
  project?: pulumi.Input<string>;
  /** Instance id (6-33 characters), e.g. `si-prod-features`. Required. */
  instanceId: string;
  /**
   * The CMEK key of each region; one cluster per entry, in that region, encrypted
   * with that region's key (Bigtable takes only regional keys). Plain map. Required.
   */
  clusterKeys: Record<string, KeyRef>;
  /** Zone per region. Defaults to `<region>-b`. */
  zones?: Record<string, string>;
  /** Autoscaling bounds per cluster. Defaults 1 and 3. */
  minNodes?: pulumi.Input<number>;
  maxNodes?: pulumi.Input<number>;
  /** Autoscaling CPU target, percent (10-80). Defaults to 60. */
  cpuTargetPercent?: pulumi.Input<number>;
  /** `SSD` or `HDD`. Defaults to `SSD` (feature lookups are latency-bound). */
  storageType?: pulumi.Input<"SSD" | "HDD">;
  /** Feature cells older than this are garbage-collected, days. Defaults to 30. */
  featureMaxAgeDays?: pulumi.Input<number>;
  /** Deletion protection on the instance and the table. Defaults to true. */
  deletionProtection?: pulumi.Input<boolean>;
  /** Labels on the instance. Defaults to none. */
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class FeatureStore extends pulumi.ComponentResource {
  public readonly instanceId: pulumi.Output<string>;
  public readonly tableId: pulumi.Output<string>;
  public readonly appProfileId: pulumi.Output<string>;
  /** Cluster id per region. */
  public readonly clusterIds: Record<string, string>;

  constructor(name: string, args: FeatureStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("streaming-inference:featureStore:FeatureStore", name, {}, opts);
    const project = args.project;
    const deletionProtection = pulumi.output(args.deletionProtection ?? true);
    const regions = Object.keys(args.clusterKeys);
    const clusterIds = Object.fromEntries(regions.map((r) => [r, clusterIdFor(args.instanceId, r)]));
    const grants = grantsOf(...Object.values(args.clusterKeys));

    const instance = new gcp.bigtable.Instance(
      `${name}-instance`,
      {
        project,
        name: args.instanceId,
        displayName: args.instanceId,
        deletionProtection,
        labels: args.labels,
        clusters: regions.map((region) => ({
          clusterId: clusterIds[region]!,
          zone: clusterZoneFor(region, args.zones),
          storageType: args.storageType ?? FEATURE_STORE_DEFAULTS.storageType,
          kmsKeyName: args.clusterKeys[region]!.id,
          autoscalingConfig: {
            minNodes: args.minNodes ?? FEATURE_STORE_DEFAULTS.minNodes,
            maxNodes: args.maxNodes ?? FEATURE_STORE_DEFAULTS.maxNodes,
            cpuTarget: args.cpuTargetPercent ?? FEATURE_STORE_DEFAULTS.cpuTargetPercent,
          },
        })),
      },
      // Each cluster's key must be usable by the Bigtable agent before the cluster is created.
      { parent: this, dependsOn: grants },
    );

    const appProfile = new gcp.bigtable.AppProfile(
      `${name}-worker-profile`,
      {
        project,
        instance: instance.name,
        appProfileId: FEATURE_TABLE.appProfileId,
        description: "Worker reads: routed to the nearest available cluster, fails over across regions.",
        multiClusterRoutingUseAny: true,
        // Multi-cluster routing on a replicated instance raises a consistency warning.
        ignoreWarnings: true,
      },
      { parent: this },
    );

    const table = new gcp.bigtable.Table(
      `${name}-table`,
      {
        project,
        instanceName: instance.name,
        name: FEATURE_TABLE.tableId,
        columnFamilies: [{ family: FEATURE_TABLE.featureFamily }],
        deletionProtection: deletionProtection.apply((p) => (p ? "PROTECTED" : "UNPROTECTED")),
      },
      { parent: this },
    );

    new gcp.bigtable.GCPolicy(
      `${name}-gc`,
      {
        project,
        instanceName: instance.name,
        table: table.name,
        columnFamily: FEATURE_TABLE.featureFamily,
        // A cell goes when it is no longer the newest OR older than the max age.
        mode: "UNION",
        maxVersions: [{ number: FEATURE_TABLE.featureMaxVersions }],
        maxAge: {
          duration: pulumi
            .output(args.featureMaxAgeDays ?? FEATURE_STORE_DEFAULTS.featureMaxAgeDays)
            .apply((d) => `${d * 24}h`),
        },
        // GC policies cannot be deleted on a replicated instance; dropping the table removes it.
        deletionPolicy: "ABANDON",
      },
      { parent: this },
    );

    this.instanceId = instance.name;
    this.tableId = table.name;
    this.appProfileId = appProfile.appProfileId;
    this.clusterIds = clusterIds;
    this.registerOutputs({
      instanceId: this.instanceId,
      tableId: this.tableId,
      appProfileId: this.appProfileId,
      clusterIds,
    });
  }
}
