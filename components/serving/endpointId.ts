/**
 * Vertex AI endpoint ids are chosen by the caller and must be numeric (at most 10 digits,
 * no leading zero). Deriving the id from the prefix and region keeps it stable across
 * runs and stacks, so the endpoint is never replaced by accident.
 */

import { fnv1a } from "../../contract";

/** A 10-digit id (1000000000 to 5294967295) for the endpoint of `prefix` in `region`. */
export function endpointIdFor(prefix: string, region: string): string {
  return String(1_000_000_000 + fnv1a(`${prefix}/${region}`));
}
