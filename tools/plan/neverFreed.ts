/**
 * Names Google never gives back. A resource of these types outlives `pulumi destroy` (the
 * provider only forgets it), so its full name stays taken in the project for good, and an `up`
 * that asks for it again fails with ALREADY_EXISTS. Each entry cites its source.
 */
import type { RecordedResource } from "./mocks";

interface NeverFreed {
  /** The resource's full Google name, from its recorded inputs. */
  name(inputs: Record<string, unknown>, gcpProject: string): string;
  source: string;
}

export const NEVER_FREED: Record<string, NeverFreed> = {
  "gcp:kms/keyRing:KeyRing": {
    name: (i, project) =>
      `projects/${String(i.project ?? project)}/locations/${String(i.location)}/keyRings/${String(i.name)}`,
    source:
      '"KeyRings cannot be deleted from Google Cloud Platform. Destroying a provider-managed KeyRing will remove it from state but *will not delete the resource from the project.*" (@pulumi/gcp kms/keyRing.d.ts)',
  },
  "gcp:kms/cryptoKey:CryptoKey": {
    name: (i) => `${String(i.keyRing)}/cryptoKeys/${String(i.name)}`,
    source:
      '"CryptoKeys cannot be deleted from Google Cloud Platform. Destroying a provider-managed CryptoKey will remove it from state and delete all CryptoKeyVersions, rendering the key unusable, but *will not delete the resource from the project.*" (@pulumi/gcp kms/cryptoKey.d.ts)',
  },
};

/** The never-freed names a rendered stack creates. */
export function neverFreedNames(resources: readonly RecordedResource[], gcpProject: string): string[] {
  return resources.flatMap((r) => {
    const rule = NEVER_FREED[r.type];
    return rule ? [rule.name(r.inputs, gcpProject)] : [];
  });
}

/**
 * A project's name registry across deployments: `up` takes the stack's never-freed names and
 * reports those already taken (ALREADY_EXISTS); `destroy` gives nothing back.
 */
export class NameRegistry {
  private readonly taken = new Set<string>();

  /** Creates the names; returns the ones that collide with an earlier deployment's. */
  up(names: readonly string[]): string[] {
    const collisions = names.filter((n) => this.taken.has(n));
    for (const n of names) this.taken.add(n);
    return collisions;
  }

  /** `pulumi destroy`: the never-freed names stay taken. */
  destroy(): void {}
}
