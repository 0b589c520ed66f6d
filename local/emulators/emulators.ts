/**
 * Starts the Pub/Sub and Bigtable emulators of the Google Cloud CLI on free ports,
 * each in its own process group, and stops them by that group.
 */
import { checkEmulatorPrerequisites } from "./prerequisites";
import { freePort, waitForPort } from "./ports";
import { spawnGroup } from "./processGroup";
import type { GroupProcess } from "./processGroup";

/** A running emulator. */
export interface RunningEmulator {
  /** `127.0.0.1:<port>`, the value of `PUBSUB_EMULATOR_HOST` / `BIGTABLE_EMULATOR_HOST`. */
  readonly host: string;
  readonly process: GroupProcess;
  /** Stops the emulator's whole process group (the wrapper and the server). */
  stop(): Promise<void>;
}

/** Both emulators, as the local platform and the integration tests use them. */
export interface RunningEmulators {
  pubsub: RunningEmulator;
  bigtable: RunningEmulator;
  /** The env vars that point Google Cloud clients at the emulators (and off the metadata server). */
  env: Record<"PUBSUB_EMULATOR_HOST" | "BIGTABLE_EMULATOR_HOST" | "METADATA_SERVER_DETECTION", string>;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** How long to wait for an emulator to be ready. Default 60 s (the JVM is slow on a busy 2-core machine). */
  readyTimeoutMs?: number;
  /** Stops the emulators while they start (Ctrl-C during start-up); the start then rejects with the reason. */
  signal?: AbortSignal;
}

async function startOne(
  name: string,
  gcloud: string,
  service: "pubsub" | "bigtable",
  readyTimeoutMs: number,
  signal?: AbortSignal,
): Promise<RunningEmulator> {
  signal?.throwIfAborted();
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const proc = spawnGroup(gcloud, ["beta", "emulators", service, "start", `--host-port=${host}`, "--quiet"], {
    name,
  });
  const running: RunningEmulator = { host, process: proc, stop: () => proc.stop({ graceMs: 5000 }) };
  // An abort stops the group, so the wait below ends at once ("exited before it was ready").
  const onAbort = () => void running.stop();
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted === true) onAbort(); // aborted while the port was being found
  try {
    if (service === "pubsub") {
      await proc.waitForOutput(/Server started/, readyTimeoutMs);
    } else {
      // cbtemulator logs nothing reliable when ready; its port accepting connections is the signal.
      await Promise.race([
        waitForPort("127.0.0.1", port, readyTimeoutMs, name),
        proc.exited.then(() => {
          throw new Error(`${name} exited before it was ready. Its last output:\n${proc.recentOutput()}`);
        }),
      ]);
    }
  } catch (error) {
    await running.stop();
    throw signal?.aborted === true ? signal.reason : error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  return running;
}

export async function startPubSubEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const { gcloud } = checkEmulatorPrerequisites();
  return startOne("Pub/Sub emulator", gcloud, "pubsub", options.readyTimeoutMs ?? 60_000, options.signal);
}

export async function startBigtableEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const { gcloud } = checkEmulatorPrerequisites();
  return startOne("Bigtable emulator", gcloud, "bigtable", options.readyTimeoutMs ?? 60_000, options.signal);
}

/** Starts both emulators in parallel; if one fails the other is stopped before the error is thrown. */
export async function startEmulators(options: EmulatorOptions = {}): Promise<RunningEmulators> {
  checkEmulatorPrerequisites();
  const [pubsub, bigtable] = await Promise.allSettled([
    startPubSubEmulator(options),
    startBigtableEmulator(options),
  ]);
  if (pubsub.status === "rejected" || bigtable.status === "rejected") {
    await Promise.all([pubsub, bigtable].map((r) => (r.status === "fulfilled" ? r.value.stop() : undefined)));
    const failure = pubsub.status === "rejected" ? pubsub.reason : (bigtable as PromiseRejectedResult).reason;
    throw failure instanceof Error ? failure : new Error(String(failure));
  }
  return {
    pubsub: pubsub.value,
    bigtable: bigtable.value,
    env: {
      PUBSUB_EMULATOR_HOST: pubsub.value.host,
      BIGTABLE_EMULATOR_HOST: bigtable.value.host,
      METADATA_SERVER_DETECTION: "none",
    },
    stop: async () => {
      await Promise.all([pubsub.value.stop(), bigtable.value.stop()]);
    },
  };
}
