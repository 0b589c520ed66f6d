/**
 * Customer-managed encryption: every resource that holds platform data names a Cloud KMS
 * key, and that key lives where the data lives.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { keyUsesOf, type KeyUse } from "./encryptedResources";
import { coveringKeyLocations, keyLocationCovers, kmsLocationOf, parseKmsKeyName } from "./locations";
import { GCP, describe, propsOf } from "./resources";
import { UNKNOWN } from "./values";

const KEY_FORMAT = "projects/<project>/locations/<location>/keyRings/<ring>/cryptoKeys/<key>";

function subject(resource: { type: string; name: string }, use: KeyUse): string {
  return use.part ? `${describe(resource)} ${use.part}` : describe(resource);
}

function expectedLocations(use: KeyUse): string[] | undefined {
  if (use.dataLocation === undefined || use.dataLocation === UNKNOWN) return undefined;
  const { locations, rule } = use.dataLocation;
  return rule === "same" ? locations : coveringKeyLocations(locations);
}

const quoted = (locations: readonly string[]) => locations.map((l) => `"${l}"`).join(" or ");

export const cmekRequired: ResourceValidationPolicy = {
  name: "cmek-required",
  description:
    "Every Pub/Sub topic, Bigtable cluster, BigQuery dataset and table, Vertex AI endpoint, Artifact Registry " +
    "repository, Cloud Run worker pool and uploaded model names a Cloud KMS key: the platform's data stays under keys it " +
    "controls, rotates and can revoke, rather than Google-managed ones.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const uses = keyUsesOf(args);
    if (!uses) return args.notApplicable("holds no data the platform encrypts");
    for (const use of uses) {
      if (use.key === UNKNOWN) continue; // named, but known only once the key exists
      if (use.key === undefined || use.key === "") {
        const where = expectedLocations(use);
        reportViolation(
          `${subject(args, use)} names no KMS key: set ${use.property} to a Cloud KMS key` +
            (where ? ` in ${quoted(where)}.` : "."),
        );
      } else if (!parseKmsKeyName(use.key)) {
        reportViolation(
          `${subject(args, use)} has ${use.property} "${use.key}", which is not a key name: use ${KEY_FORMAT}.`,
        );
      }
    }
  },
};

export const cmekKeyLocation: ResourceValidationPolicy = {
  name: "cmek-key-location",
  description:
    "The KMS key of a resource is in a location that covers the resource's data: the same region for a " +
    "regional resource, the matching multi-region (US -> us, EU -> europe) for BigQuery, and for a topic a " +
    "location containing all its message-storage regions (or global). Google rejects a key elsewhere at " +
    "apply time; this catches it at preview.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const uses = keyUsesOf(args);
    if (!uses) return args.notApplicable("holds no data the platform encrypts");
    for (const use of uses) {
      if (typeof use.key !== "string" || use.dataLocation === undefined || use.dataLocation === UNKNOWN) {
        continue; // no key (cmek-required says so), or a key/location unknown until apply
      }
      const key = parseKmsKeyName(use.key);
      if (!key) continue;
      const { locations, rule, what } = use.dataLocation;
      const fits =
        rule === "same"
          ? locations.every((l) => l === key.location.toLowerCase())
          : keyLocationCovers(key.location, locations);
      if (!fits) {
        const where = expectedLocations(use) ?? [];
        reportViolation(
          `${subject(args, use)} ${what}, but its key (${use.property}) is in "${key.location}": ` +
            `use a key in ${quoted(where)}.`,
        );
      }
    }
  },
};

export const cmekTableKeyLocation: StackValidationPolicy = {
  name: "cmek-table-key-location",
  description:
    "A BigQuery table's KMS key is in its dataset's location (US -> us, EU -> europe): a table names no location " +
    "of its own, so this is checked against the dataset of the same stack.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const datasetLocations = new Map<string, string>();
    for (const r of args.resources) {
      const dataset = propsOf(r, GCP.dataset);
      if (dataset) datasetLocations.set(dataset.datasetId, kmsLocationOf(dataset.location ?? "US"));
    }
    for (const r of args.resources) {
      const table = propsOf(r, GCP.bigqueryTable);
      const keyName = table?.encryptionConfiguration?.kmsKeyName;
      const location = table ? datasetLocations.get(table.datasetId) : undefined;
      const key = keyName ? parseKmsKeyName(keyName) : undefined;
      if (!table || !key || location === undefined) continue; // no key, or a dataset outside this stack
      if (key.location.toLowerCase() !== location) {
        reportViolation(
          `${describe(r)} is in dataset ${table.datasetId} (${location}), but its key ` +
            `(encryptionConfiguration.kmsKeyName) is in "${key.location}": use a key in "${location}".`,
          r.urn,
        );
      }
    }
  },
};
