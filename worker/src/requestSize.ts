/**
 * Keeping predict requests under the endpoint's size limit: a batch whose instances
 * would exceed `maxRequestBytes` is cut into consecutive chunks that each fit.
 */

/** Bytes of the request envelope around the instances (`{"instances":[...]}` and the endpoint path). */
export const REQUEST_OVERHEAD_BYTES = 256;

/** Size of one instance in the request body (its JSON form, as the endpoint's HTTP front end sees it). */
export function instanceBytes(instance: unknown): number {
  return Buffer.byteLength(JSON.stringify(instance));
}

export interface SizedChunks<T> {
  /** Consecutive groups, each within the limit, in input order. */
  chunks: T[][];
  /** Items that alone exceed the limit: they can never be sent. */
  oversized: T[];
}

export function splitBySize<T>(
  items: readonly T[],
  maxRequestBytes: number,
  sizeOf: (item: T) => number,
): SizedChunks<T> {
  const budget = maxRequestBytes - REQUEST_OVERHEAD_BYTES;
  const chunks: T[][] = [];
  const oversized: T[] = [];
  let current: T[] = [];
  let used = 0;
  for (const item of items) {
    const size = sizeOf(item) + 1; // the comma between instances
    if (size > budget) {
      oversized.push(item);
      continue;
    }
    if (used + size > budget && current.length > 0) {
      chunks.push(current);
      current = [];
      used = 0;
    }
    current.push(item);
    used += size;
  }
  if (current.length > 0) chunks.push(current);
  return { chunks, oversized };
}
