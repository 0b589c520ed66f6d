/** Key rotation: symmetric keys rotate automatically, at least every 90 days. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { settings } from "./policyConfig";
import { GCP, describe, propsOf } from "./resources";
import { UNKNOWN, formatSeconds, parseDurationSeconds, peek } from "./values";

const DAY = 86_400;

export const keyRotationSettings = settings<{ maxRotationDays: number }>({
  maxRotationDays: {
    type: "integer",
    minimum: 1,
    default: 90,
    description: "Longest rotation period allowed, in days.",
  },
});

export const kmsKeyRotation: ResourceValidationPolicy = {
  name: "kms-key-rotation",
  description:
    "Every symmetric Cloud KMS key rotates automatically, at most every 90 days (configurable): a rotated key " +
    "limits how much data one key version protects, and rotation cannot be forgotten.",
  enforcementLevel: "mandatory",
  configSchema: keyRotationSettings.schema,
  validateResource: (args, reportViolation) => {
    const key = propsOf(args, GCP.cryptoKey);
    if (!key) return args.notApplicable("not a KMS key");
    // Only symmetric encryption keys support automatic rotation.
    if ((key.purpose ?? "ENCRYPT_DECRYPT") !== "ENCRYPT_DECRYPT") {
      return args.notApplicable(`purpose ${key.purpose} does not rotate automatically`);
    }
    const { maxRotationDays } = keyRotationSettings.read(args);
    const limit = `"${maxRotationDays * DAY}s" (${formatSeconds(maxRotationDays * DAY)})`;
    const period = peek(() => key.rotationPeriod);
    if (period === UNKNOWN) return;
    if (period === undefined || period === "") {
      reportViolation(`${describe(args)} never rotates: set rotationPeriod to at most ${limit}.`);
      return;
    }
    const seconds = parseDurationSeconds(period);
    if (seconds === undefined) {
      reportViolation(
        `${describe(args)} has rotationPeriod "${period}", which is not a duration: use seconds, e.g. ${limit}.`,
      );
    } else if (seconds > maxRotationDays * DAY) {
      reportViolation(
        `${describe(args)} rotates every ${formatSeconds(seconds)} (rotationPeriod "${period}"): ` +
          `set rotationPeriod to at most ${limit}.`,
      );
    }
  },
};
