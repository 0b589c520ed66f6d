/**
 * The worker process: reads the environment, starts the worker, drains on SIGTERM or
 * SIGINT. Exit codes: 0 after a clean drain, 1 after a fatal error, 2 on bad config.
 */
import { loadWorkerConfig, WorkerConfigError, type WorkerRuntimeConfig } from "./config";
import { createLogger } from "./logger";
import { startWorker } from "./worker";

/** After the drain, give stragglers (sockets closing) this long before forcing the exit. */
const EXIT_GRACE_MS = 2_000;

async function main(): Promise<void> {
  let config: WorkerRuntimeConfig;
  try {
    config = loadWorkerConfig(process.env);
  } catch (err) {
    if (err instanceof WorkerConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
  const logger = createLogger({
    level: config.logLevel,
    base: { region: config.region, subscription: config.subscription },
  });
  // A bug that escapes every handler: log it where Cloud Logging sees it, then exit so the
  // platform restarts the worker (unacked messages are redelivered; nothing is lost).
  process.on("uncaughtException", (err) => {
    logger.fatal({ err: err.stack ?? String(err) }, "uncaught exception; exiting");
    logger.flush();
    process.exit(1);
  });
  const worker = await startWorker(config, { logger });
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, `received ${signal}; draining within ${config.drainTimeoutMs} ms`);
    void worker.drain(config.drainTimeoutMs);
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  await worker.stopped;
  process.exitCode = worker.fatalError ? 1 : 0;
  // Client libraries can keep a handle open for a while after close(); the work is done.
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ severity: "CRITICAL", message: `worker failed: ${err instanceof Error ? err.stack : String(err)}` })}\n`,
  );
  process.exitCode = 1;
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
});
