/**
 * Waiting on Vertex AI long-running operations with a deadline, and turning their
 * failures into messages that say which call failed, on what, and how to look closer.
 */
import type { PendingOperation } from "./vertexApi";

/** A long-running operation that failed or did not finish in time. */
export class VertexOperationError extends Error {
  constructor(
    message: string,
    /** gRPC status code of the failure, when the API gave one. */
    public readonly code?: number,
  ) {
    super(message);
    this.name = "VertexOperationError";
  }
}

/** gRPC NOT_FOUND. */
export const NOT_FOUND = 5;

export function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Starts an operation and waits for its result, at most `timeoutMs`. A timeout does not
 * cancel the operation on the server (Vertex may still finish it), so the message gives
 * the operation name to inspect.
 */
export async function runOperation<T>(
  what: string,
  start: () => Promise<PendingOperation<T>>,
  timeoutMs: number,
): Promise<T> {
  let op: PendingOperation<T>;
  try {
    op = await start();
  } catch (err) {
    throw new VertexOperationError(`${what} was rejected: ${messageOf(err)}`, grpcCode(err));
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new VertexOperationError(
            `${what} did not finish within ${Math.round(timeoutMs / 1000)} s; operation ${op.name} may still ` +
              `be running: check it with \`gcloud ai operations describe ${op.name}\`, then run \`pulumi refresh\` ` +
              `and \`pulumi up\` again (raise operationTimeoutSeconds if deployments are slow)`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([op.result(), deadline]);
  } catch (err) {
    if (err instanceof VertexOperationError) throw err;
    throw new VertexOperationError(`${what} failed (operation ${op.name}): ${messageOf(err)}`, grpcCode(err));
  } finally {
    clearTimeout(timer);
  }
}
