/**
 * Key ring names. Cloud KMS never deletes a key ring or a key ("KeyRings cannot be deleted from
 * Google Cloud Platform", @pulumi/gcp kms/keyRing.d.ts; Cloud KMS docs "Object hierarchy":
 * key rings and keys cannot be deleted), so a name once used stays taken in its project and
 * location: after `pulumi destroy`, an `up` that asks for the same name fails with ALREADY_EXISTS.
 * Each deployment therefore puts its own id (stack config `deploymentId`, made once at stack
 * init) in its key ring names; a new deployment of the same stack gets a new id.
 */
import { randomBytes } from "node:crypto";

/** `deploymentId` of a stack deployed before deployment ids existed: its key rings keep `<prefix>-<location>`. */
export const EARLIER_NAMES = "none";

/** A deployment id: 4-8 lowercase letters or digits (`openssl rand -hex 3` makes one), or `none`. */
export const DEPLOYMENT_ID_PATTERN = /^([a-z0-9]{4,8}|none)$/;

/** The command the docs and errors give for making a deployment id. */
export const DEPLOYMENT_ID_COMMAND = "pulumi config set deploymentId $(openssl rand -hex 3)";

/** KMS `CreateKeyRingRequest.key_ring_id` must match `[a-zA-Z0-9_-]{1,63}` (google/cloud/kms/v1/service.proto). */
const KEY_RING_ID = /^[a-zA-Z0-9_-]{1,63}$/;

/** `<prefix>-<location>-<deploymentId>`, or `<prefix>-<location>` for `deploymentId: none`. Throws on a name KMS refuses. */
export function keyRingName(prefix: string, location: string, deploymentId: string): string {
  if (!DEPLOYMENT_ID_PATTERN.test(deploymentId)) {
    throw new Error(
      `deploymentId "${deploymentId}" must be 4-8 lowercase letters or digits (make one with: ${DEPLOYMENT_ID_COMMAND}), ` +
        `or "${EARLIER_NAMES}" for a stack deployed before deployment ids (keeps its key ring names)`,
    );
  }
  const name =
    deploymentId === EARLIER_NAMES ? `${prefix}-${location}` : `${prefix}-${location}-${deploymentId}`;
  if (!KEY_RING_ID.test(name)) {
    throw new Error(
      `key ring name "${name}" must match [a-zA-Z0-9_-]{1,63} (google/cloud/kms/v1/service.proto)`,
    );
  }
  return name;
}

/**
 * A fresh deployment id (6 hex digits). For a stack whose resources were destroyed: its key ring
 * names stay taken, so the next `up` needs a new id (`npm run e2e` writes one after its destroy).
 * Never for a deployed stack: a new id replaces every key, and with them the data they encrypt.
 */
export function newDeploymentId(random: (bytes: number) => Buffer = randomBytes): string {
  return random(3).toString("hex");
}
