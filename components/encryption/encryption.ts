/**
 * Customer-managed encryption for everything that holds platform data: a key ring per
 * location and a key per (service, location), each rotated at most every 90 days, with
 * `cryptoKeyEncrypterDecrypter` granted on that one key to that one service's agent.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { keyPlacements, keyRingLocations, type KeyPlacement } from "./keyPlacement";
import { keyRingName } from "./keyRingName";
import { rotationPeriod } from "./rotation";
import { ENCRYPTED_SERVICES, type EncryptedService } from "./services";
import type { ServiceAgents } from "./serviceAgents";

export const ENCRYPTER_DECRYPTER_ROLE = "roles/cloudkms.cryptoKeyEncrypterDecrypter";

export interface EncryptionArgs {
  /** Project that holds the key rings. Defaults to the provider's project. */
  project?: pulumi.Input<string>;
  /** Name prefix of the key rings (`<prefix>-<location>-<deploymentId>`). Required. */
  prefix: string;
  /**
   * This deployment's id, the last part of every key ring name: key rings are never deleted, so
   * a stack brought up again after a destroy needs new names (keyRingName.ts). `none` keeps the
   * names of a stack deployed before deployment ids (`<prefix>-<location>`). Required.
   */
  deploymentId: string;
  /** Regions that hold data: each gets keys for Bigtable, Vertex AI and Cloud Run. Required. */
  regions: readonly string[];
  /** Multi-region (`us`, `eu`) or `global` location of the Pub/Sub (and Artifact Registry) keys. Required. */
  sharedLocation: string;
  /** BigQuery dataset location (`US`, `EU` or a region); the BigQuery key is created there. Required. */
  analyticsLocation: string;
  /** The agents that get the per-key grants. Required. */
  agents: ServiceAgents;
  /** Services to create keys for. Defaults to every service in `ENCRYPTED_SERVICES`. */
  services?: readonly EncryptedService[];
  /**
   * Key rotation period in days, 1 to 90. Defaults to 90. A plain number: an invalid
   * value stops the program before anything is declared.
   */
  rotationPeriodDays?: number;
  /** Labels on every key. Defaults to none. */
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Protect key rings and keys from `pulumi destroy` (Pulumi's `protect` option):
   * destroying a key makes its data unreadable. Defaults to false.
   */
  protect?: boolean;
}

/** A key and the grant that lets its service use it. */
export interface EncryptionKey extends KeyPlacement {
  /** Full key resource id, `projects/.../locations/<loc>/keyRings/<ring>/cryptoKeys/<key>`. */
  id: pulumi.Output<string>;
  key: gcp.kms.CryptoKey;
  /** The agent's grant on this key: make the encrypted resource `dependsOn` it. */
  grant: gcp.kms.CryptoKeyIAMMember;
}

export class Encryption extends pulumi.ComponentResource {
  /** Key ring id per location. */
  public readonly keyRingIds: Record<string, pulumi.Output<string>>;
  /** Every key created, in placement order. */
  public readonly keys: readonly EncryptionKey[];

  constructor(name: string, args: EncryptionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("streaming-inference:encryption:Encryption", name, {}, opts);
    const period = rotationPeriod(args.rotationPeriodDays);
    const placements = keyPlacements({
      regions: args.regions,
      sharedLocation: args.sharedLocation,
      analyticsLocation: args.analyticsLocation,
      services: args.services ?? ENCRYPTED_SERVICES,
    });
    const childOpts = { parent: this, protect: args.protect ?? false };

    const rings = new Map<string, gcp.kms.KeyRing>();
    for (const location of keyRingLocations(placements)) {
      // Key rings cannot be deleted in Cloud KMS; the name stays taken after a destroy (keyRingName.ts).
      rings.set(
        location,
        new gcp.kms.KeyRing(
          `${name}-ring-${location}`,
          { project: args.project, name: keyRingName(args.prefix, location, args.deploymentId), location },
          childOpts,
        ),
      );
    }

    this.keys = placements.map((placement) => {
      const { service, location } = placement;
      const ring = rings.get(location)!;
      const key = new gcp.kms.CryptoKey(
        `${name}-${service}-${location}`,
        {
          keyRing: ring.id,
          name: service,
          purpose: "ENCRYPT_DECRYPT",
          rotationPeriod: period,
          labels: args.labels,
        },
        childOpts,
      );
      const grant = new gcp.kms.CryptoKeyIAMMember(
        `${name}-${service}-${location}-agent`,
        { cryptoKeyId: key.id, role: ENCRYPTER_DECRYPTER_ROLE, member: args.agents.member(service) },
        { parent: this },
      );
      return { ...placement, id: key.id, key, grant };
    });

    this.keyRingIds = Object.fromEntries([...rings].map(([location, ring]) => [location, ring.id]));
    this.registerOutputs({
      keyRingIds: this.keyRingIds,
      keyIds: Object.fromEntries(this.keys.map((k) => [`${k.service}/${k.location}`, k.id])),
    });
  }

  /**
   * The key of `service` in `location` and its grant. Throws (naming what exists) if
   * no such key was created, so a mis-located resource fails before `pulumi up`.
   */
  keyFor(service: EncryptedService, location: string): EncryptionKey {
    const found = this.keys.find((k) => k.service === service && k.location === location);
    if (!found) {
      const have = this.keys
        .filter((k) => k.service === service)
        .map((k) => k.location)
        .join(", ");
      throw new Error(
        `Encryption has no ${service} key in "${location}"; ${service} keys exist in: ${have || "nowhere (service not enabled)"}. ` +
          `A CMEK key must be in the same location as the data it protects.`,
      );
    }
    return found;
  }
}
