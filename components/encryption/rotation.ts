/**
 * Key rotation period: at most 90 days (the platform's compliance bar), at least one
 * day (Cloud KMS's own minimum).
 */
export const DEFAULT_ROTATION_DAYS = 90;
export const MAX_ROTATION_DAYS = 90;
const SECONDS_PER_DAY = 86_400;

/** Validates a rotation period in days and renders it as Cloud KMS's `"<seconds>s"`. */
export function rotationPeriod(days: number = DEFAULT_ROTATION_DAYS): string {
  if (!Number.isInteger(days) || days < 1 || days > MAX_ROTATION_DAYS) {
    throw new Error(
      `Encryption rotationPeriodDays is ${days}; it must be a whole number of days from 1 to ${MAX_ROTATION_DAYS} ` +
        `(keys rotate at least every ${MAX_ROTATION_DAYS} days). Set rotationPeriodDays to ${DEFAULT_ROTATION_DAYS} or less.`,
    );
  }
  return `${days * SECONDS_PER_DAY}s`;
}
