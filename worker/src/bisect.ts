/**
 * Isolating the instances a model rejects. When a request fails as INVALID_ARGUMENT,
 * the batch is halved and each half retried, recursively, so one bad instance costs
 * about 2*log2(N)+1 calls and its neighbours are still predicted.
 */

export type ItemResult<R> =
  | { kind: "ok"; value: R }
  /** The model refused this item on its own: poison. */
  | { kind: "rejected"; error: unknown }
  /** The call failed for another reason (retries exhausted, bad answer): try again later. */
  | { kind: "failed"; error: unknown };

/**
 * Calls `call` on `items`; on a rejection, bisects. Returns one result per item, in order.
 * Calls run one after another, so the caller's concurrency cap holds.
 */
export async function callIsolatingRejects<I, R>(
  items: readonly I[],
  call: (items: readonly I[]) => Promise<R[]>,
  isRejection: (err: unknown) => boolean,
): Promise<ItemResult<R>[]> {
  if (items.length === 0) return [];
  try {
    const values = await call(items);
    return values.map((value) => ({ kind: "ok", value }));
  } catch (error) {
    if (!isRejection(error)) return items.map(() => ({ kind: "failed", error }));
    if (items.length === 1) return [{ kind: "rejected", error }];
    const middle = Math.ceil(items.length / 2);
    const left = await callIsolatingRejects(items.slice(0, middle), call, isRejection);
    const right = await callIsolatingRejects(items.slice(middle), call, isRejection);
    return [...left, ...right];
  }
}
