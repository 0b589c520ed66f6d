/**
 * Reading resource values that may be unknown (outputs of resources not created yet,
 * during `pulumi preview`) and the duration strings Google Cloud APIs use.
 */
import { UnknownValueError } from "./sdkInternals";

/** Marks a value that cannot be known until the resource it comes from exists. */
export const UNKNOWN: unique symbol = Symbol("unknown at preview");
export type Unknown = typeof UNKNOWN;

/**
 * Reads a value through the policy SDK's unknown-checking proxy. The SDK throws when a
 * policy touches an unknown value (and skips the policy with an advisory); `peek` lets a
 * policy decide instead, e.g. "a key is named, its location is known only at update".
 */
export function peek<T>(read: () => T): T | Unknown {
  try {
    return read();
  } catch (err) {
    if (err instanceof UnknownValueError) return UNKNOWN;
    throw err;
  }
}

/** Seconds in a Google duration string ("86400s", "0.5s"), or undefined when it is not one. */
export function parseDurationSeconds(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}

const DAY = 86_400;

/** "7 days", "36 hours", "900 seconds": a duration as a person would read it. */
export function formatSeconds(seconds: number): string {
  if (seconds % DAY === 0) return `${seconds / DAY} day${seconds === DAY ? "" : "s"}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hours`;
  return `${seconds} seconds`;
}
