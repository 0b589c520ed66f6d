import type * as pulumi from "@pulumi/pulumi";

/**
 * The CMEK key a resource is encrypted with, and the grant it must wait for.
 * `Encryption.keyFor(service, location)` returns one.
 */
export interface KeyRef {
  /** Full Cloud KMS key id. */
  id: pulumi.Input<string>;
  /** The service agent's grant on the key; the encrypted resource `dependsOn` it. */
  grant?: pulumi.Resource;
}

/** `dependsOn` entries for resources encrypted with these keys. */
export function grantsOf(...keys: KeyRef[]): pulumi.Resource[] {
  return keys.flatMap((k) => (k.grant ? [k.grant] : []));
}
