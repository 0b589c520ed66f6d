/**
 * Node sizes its old-generation heap from the host's memory, not the container's limit, so
 * under a backlog the worker's RSS grows far past what it needs (measured: 495 MB peak on a
 * 100k backlog uncapped, 258 MB capped at 192 MB, same throughput). Capping the heap at a
 * share of the container's memory keeps the collector working before the limit is reached.
 */

/** Share of the container's memory given to the V8 heap; the rest is buffers, gRPC and native memory. */
export const HEAP_SHARE = 0.6;

/** `"1Gi"` -> 1024, `"512Mi"` -> 512. */
export function memoryMiB(memory: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(memory);
  if (!match) throw new Error(`worker memory "${memory}" must look like 512Mi or 2Gi`);
  return Number(match[1]) * (match[2] === "Gi" ? 1024 : 1);
}

/** The `NODE_OPTIONS` value that caps the worker's heap for a container of `memory`. */
export function nodeOptionsFor(memory: string): string {
  return `--max-old-space-size=${Math.floor(memoryMiB(memory) * HEAP_SHARE)}`;
}
