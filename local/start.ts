/**
 * `npm start`: the whole pipeline on this machine. Starts the Pub/Sub and Bigtable
 * emulators, creates what the components declare, seeds features, starts the Vertex
 * stand-in and the real worker, publishes a stream of events, waits until each one
 * is predicted or dead-lettered, prints a summary, and stops everything it started.
 * Exits 0 only if nothing was lost.
 */
import { writeFileSync } from "node:fs";
import { deadLetterReasons, formatSummary } from "./outcomes/format";
import { startLocalPlatform } from "./platform";
import type { LocalPlatform } from "./platform";
import { runLoad } from "./run/runLoad";
import { parseStartArgs, START_USAGE } from "./startArgs";
import type { StartOptions } from "./startArgs";
import { startWorkerGroup } from "./worker/workerGroup";

const say = (line: string) => process.stderr.write(`${line}\n`);

async function run(options: StartOptions, signal: AbortSignal): Promise<number> {
  let platform: LocalPlatform | undefined;
  try {
    say("starting the Pub/Sub and Bigtable emulators ...");
    platform = await startLocalPlatform({
      entities: options.entities,
      modelProfile: options.model,
      connectivity: options.connectivity,
      model: { latency: { fixedMs: options.modelLatencyMs, perInstanceMs: options.modelPerInstanceMs } },
    });
    say(
      `emulators: Pub/Sub ${platform.hosts.pubsubHost}, Bigtable ${platform.hosts.bigtableHost}; ` +
        `seeded ${options.entities} entities; Vertex stand-in (${options.model}) as a ${platform.connectivity} endpoint ` +
        (platform.connectivity === "peering"
          ? `(HTTP only, ${platform.model.predictUrl("local-project", "local")})`
          : `(gRPC ${platform.model.apiEndpoint} with x-vertex-ai-endpoint-id)`),
    );
    if (signal.aborted) return 130;

    const workers = startWorkerGroup(
      (settings) => (platform as LocalPlatform).startWorker(settings),
      options.workers,
      {
        maxBatchSize: options.batchSize,
        maxBatchDelayMs: options.batchDelayMs,
        maxInFlight: options.inFlight,
      },
    );
    await workers.ready();
    const pids = workers.workers.map((w) => w.process.pid).join(", ");
    say(`${options.workers} worker(s) started (pid ${pids}); publishing ${options.messages} events ...`);

    // A worker that dies mid-run would leave the wait to run into the timeout: stop early and say why.
    const crashed = new AbortController();
    void workers.unexpectedExit.then((worker) => {
      say(`a worker exited unexpectedly. Its last output:\n${worker.process.recentOutput()}`);
      crashed.abort();
    });

    const result = await runLoad(platform, {
      messages: options.messages,
      rate: options.rate,
      poisonShare: options.poisonShare,
      timeoutMs: options.timeoutSeconds * 1000,
      onProgress: say,
      signal: AbortSignal.any([signal, crashed.signal]),
    });
    if (!result.complete && !signal.aborted && !crashed.signal.aborted) {
      say(`timed out after ${options.timeoutSeconds} s with inputs still unaccounted for`);
    }

    await workers.stop(); // drains, and logs their final counters (batch sizes)
    await result.collector.close();
    const workerBatches = workers.batchSizes();
    const batchSizes = workerBatches ?? platform.model.stats().batchSizes;
    const summary = result.collector.summary(batchSizes);
    const source = workerBatches === undefined ? "predict calls seen by the model" : "worker micro-batches";
    console.log(formatSummary(summary, deadLetterReasons(result.collector.outcomes()), source));
    console.log(`worker processes: ${options.workers} on one subscription`);
    if (options.json !== undefined) {
      writeFileSync(options.json, `${JSON.stringify({ ...summary, workers: options.workers }, null, 2)}\n`);
      say(`summary written to ${options.json}`);
    }
    if (signal.aborted) return 130;
    // A prediction BigQuery would refuse is lost to analytics: as much a failure as a lost input.
    const tableRejects = summary.tableRejects?.count ?? 0;
    return summary.lost === 0 && result.complete && tableRejects === 0 ? 0 : 1;
  } finally {
    say("stopping the worker, the model and the emulators ...");
    await platform?.stop();
  }
}

function main(): void {
  let options: StartOptions | "help";
  try {
    options = parseStartArgs(process.argv.slice(2));
  } catch (error) {
    say((error as Error).message);
    process.exitCode = 2;
    return;
  }
  if (options === "help") {
    console.log(START_USAGE);
    return;
  }
  process.env.METADATA_SERVER_DETECTION ??= "none";

  const interrupted = new AbortController();
  let firstSignalAt = 0;
  const onSignal = (name: NodeJS.Signals) => {
    // One Ctrl-C can arrive up to three times (terminal, npm and tsx each pass it on): a repeat
    // within a second is the same keypress.
    if (interrupted.signal.aborted && Date.now() - firstSignalAt < 1000) return;
    if (interrupted.signal.aborted) {
      // Second Ctrl-C: leave now; the exit hook SIGKILLs every process group still running.
      say(`${name} again: killing everything and exiting`);
      process.exit(130);
    }
    say(`${name}: stopping (Ctrl-C again to kill at once) ...`);
    firstSignalAt = Date.now();
    interrupted.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  run(options, interrupted.signal).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      say(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}

main();
