/**
 * Where each data-holding resource names its customer-managed encryption key, and
 * where its data lives (the key must be in a location that covers it).
 */
import { kmsLocationOf, regionOfZone } from "./locations";
import { modelDeploymentProps } from "./modelDeployment";
import { GCP, propsOf, type ResourceView } from "./resources";
import { UNKNOWN, peek, type Unknown } from "./values";

/** Where the data of a resource (or of one part of it) is stored. */
export interface DataLocation {
  /** Regions or multi-regions, lowercase (`us-central1`, `us`). */
  locations: string[];
  /** `same`: the key must be in that very location; `cover`: in one that contains them all. */
  rule: "same" | "cover";
  /** Says where the data is, for messages ("stores messages in ..."). */
  what: string;
}

/** One key a resource must name. */
export interface KeyUse {
  /** The part of the resource the key protects, when there are several (`cluster "c1"`). */
  part?: string;
  /** The input property that names the key, for the fix. */
  property: string;
  key: string | undefined | Unknown;
  /** Undefined when the resource does not say where its data is (a BigQuery table: its dataset does). */
  dataLocation?: DataLocation | Unknown;
}

const lower = (value: string | undefined | Unknown): string | undefined | Unknown =>
  typeof value === "string" ? value.toLowerCase() : value;

function regional(location: string | undefined | Unknown): DataLocation | Unknown | undefined {
  const loc = lower(location);
  if (loc === UNKNOWN) return UNKNOWN;
  return loc === undefined ? undefined : { locations: [loc], rule: "same", what: `is in ${loc}` };
}

/** The keys `resource` must name; undefined when its type holds no data the platform encrypts. */
export function keyUsesOf(resource: ResourceView): KeyUse[] | undefined {
  const topic = propsOf(resource, GCP.topic);
  if (topic) {
    const regions = peek(() => topic.messageStoragePolicy?.allowedPersistenceRegions);
    return [
      {
        property: "kmsKeyName",
        key: peek(() => topic.kmsKeyName),
        dataLocation:
          regions === UNKNOWN
            ? UNKNOWN
            : {
                locations: (regions ?? []).map((r) => r.toLowerCase()),
                rule: "cover",
                what:
                  regions && regions.length > 0
                    ? `stores messages in ${regions.join(", ")}`
                    : "has no message storage policy (messages may be stored in any region)",
              },
      },
    ];
  }
  const bigtable = propsOf(resource, GCP.bigtableInstance);
  if (bigtable) {
    return (bigtable.clusters ?? []).map((cluster, i) => {
      const zone = peek(() => cluster.zone);
      return {
        part: `cluster "${cluster.clusterId}"`,
        property: `clusters[${i}].kmsKeyName`,
        key: peek(() => cluster.kmsKeyName),
        dataLocation: typeof zone === "string" ? regional(regionOfZone(zone)) : zone,
      };
    });
  }
  const dataset = propsOf(resource, GCP.dataset);
  if (dataset) {
    // BigQuery's default location is the US multi-region; its KMS twin is "us".
    const location = peek(() => dataset.location ?? "US");
    return [
      {
        property: "defaultEncryptionConfiguration.kmsKeyName",
        key: peek(() => dataset.defaultEncryptionConfiguration?.kmsKeyName),
        dataLocation: regional(typeof location === "string" ? kmsLocationOf(location) : location),
      },
    ];
  }
  const table = propsOf(resource, GCP.bigqueryTable);
  // A logical view stores no data, so there is nothing for a key to protect (BigQuery CMEK covers
  // data in managed storage); its query reads the CMEK table it names.
  if (table && table.view === undefined) {
    return [
      {
        property: "encryptionConfiguration.kmsKeyName",
        key: peek(() => table.encryptionConfiguration?.kmsKeyName),
      },
    ];
  }
  const endpoint = propsOf(resource, GCP.endpoint);
  if (endpoint) {
    return [
      {
        property: "encryptionSpec.kmsKeyName",
        key: peek(() => endpoint.encryptionSpec?.kmsKeyName),
        dataLocation: regional(peek(() => endpoint.location)),
      },
    ];
  }
  const repository = propsOf(resource, GCP.repository);
  if (repository) {
    return [
      {
        property: "kmsKeyName",
        key: peek(() => repository.kmsKeyName),
        dataLocation: regional(peek(() => repository.location)),
      },
    ];
  }
  const pool = propsOf(resource, GCP.workerPool);
  if (pool) {
    return [
      {
        property: "template.encryptionKey",
        key: peek(() => pool.template?.encryptionKey),
        dataLocation: regional(peek(() => pool.location)),
      },
    ];
  }
  const deployment = modelDeploymentProps(resource);
  if (deployment) {
    // The uploaded model is encrypted with it (UploadModel's encryptionSpec).
    return [
      {
        property: "kmsKeyName",
        key: peek(() => deployment.kmsKeyName),
        dataLocation: regional(peek(() => deployment.location)),
      },
    ];
  }
  return undefined;
}
