/**
 * `npm start`: the whole pipeline on this machine. Starts the Pub/Sub and Bigtable
 * emulators, creates what the components declare, seeds features, starts the Vertex
 * stand-in and the real worker, publishes a stream of events, waits until each one
 * is predicted or dead-lettered, prints a summary, and stops everything it started.
 * Exits 0 only if nothing was lost.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { onStopSignals, untilAborted } from "./lifecycle/stopSignals";
import { deadLetterReasons, formatSummary } from "./outcomes/format";
import { startLocalPlatform } from "./platform";
import type { LocalPlatform } from "./platform";
import { busyMachineWarning, describeMachineLoad, sampleMachineLoad } from "./report/machineLoad";
import { runLoad } from "./run/runLoad";
import { parseStartArgs, START_USAGE } from "./startArgs";
import type { StartOptions } from "./startArgs";
import { startWorkerGroup } from "./worker/workerGroup";

/** Progress goes to stderr; a closed terminal (EIO, EPIPE) must not stop the clean-up. */
const say = (line: string) => {
  try {
    process.stderr.write(`${line}\n`);
  } catch {
    // nowhere left to write to
  }
};

async function run(options: StartOptions, signal: AbortSignal): Promise<number> {
  let platform: LocalPlatform | undefined;
  const load = sampleMachineLoad();
  try {
    say("starting the Pub/Sub and Bigtable emulators ...");
    platform = await startLocalPlatform({
      entities: options.entities,
      modelProfile: options.model,
      connectivity: options.connectivity,
      predictProtocol: options.predictProtocol,
      model: { latency: { fixedMs: options.modelLatencyMs, perInstanceMs: options.modelPerInstanceMs } },
      signal,
    });
    say(
      `emulators: Pub/Sub ${platform.hosts.pubsubHost}, Bigtable ${platform.hosts.bigtableHost}; ` +
        `seeded ${options.entities} entities; Vertex stand-in (${options.model}) as a ${platform.connectivity} endpoint ` +
        (platform.predictProtocol === "http"
          ? `(HTTP, ${platform.model.predictUrl("local-project", "local")})`
          : `(gRPC ${platform.connectivity === "psc" ? `${platform.model.pscHost("local")}:${platform.model.port}` : platform.model.apiEndpoint} with x-vertex-ai-endpoint-id)`) +
        (platform.model.tls === undefined
          ? ""
          : `; TLS with the stand-in's self-signed *.prediction.p.vertexai.goog certificate, its name resolved to ${platform.model.address}`),
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
    await Promise.race([workers.ready(), untilAborted(signal)]);
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
    const summary = result.collector.summary(batchSizes, { stopped: signal.aborted });
    const machineLoad = load.stop();
    const source = workerBatches === undefined ? "predict calls seen by the model" : "worker micro-batches";
    console.log(formatSummary(summary, deadLetterReasons(result.collector.outcomes()), source));
    console.log(`worker processes: ${options.workers} on one subscription`);
    console.log(`${"machine".padEnd(14)} ${describeMachineLoad(machineLoad)}`);
    const warning = busyMachineWarning(machineLoad);
    if (warning !== undefined) say(warning);
    if (options.json !== undefined) {
      mkdirSync(dirname(resolve(options.json)), { recursive: true });
      writeFileSync(
        options.json,
        `${JSON.stringify({ ...summary, workers: options.workers, machineLoad }, null, 2)}\n`,
      );
      say(`summary written to ${options.json}`);
    }
    if (signal.aborted) return 130;
    // A prediction BigQuery would refuse is lost to analytics: as much a failure as a lost input.
    const tableRejects = summary.tableRejects?.count ?? 0;
    // So is an output real Pub/Sub would have refused (the emulator stored it).
    const limitRejects = summary.pubsubLimitRejects?.count ?? 0;
    return summary.lost === 0 && result.complete && tableRejects === 0 && limitRejects === 0 ? 0 : 1;
  } catch (error) {
    // Ctrl-C during start-up ends the start with the abort reason: a stop, not a failure.
    if (signal.aborted) return 130;
    throw error;
  } finally {
    load.stop();
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

  const interrupted = onStopSignals(say);
  run(options, interrupted).then(
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
