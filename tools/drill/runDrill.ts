/**
 * One failover drill on the local twin, in one mode:
 *
 * 1. a platform on running emulators with two regions' input subscriptions on one events topic,
 *    as MessageChannel declares them (deployed settings: 60 s ack deadline, retry and dead-letter
 *    policies, topic and subscription retention), and a stack file `Pulumi.<stack>.yaml` naming them;
 * 2. region A's worker, reaching the model through a cuttable TCP proxy (its endpoint); in
 *    active-active mode region B's worker too;
 * 3. a steady stream of events; at `killAfterSeconds`, A's worker is SIGKILLed and its endpoint cut;
 * 4. the failover command (tools/failover/cli.ts, the same entry as `npm run failover`) against the
 *    emulator; the replay point comes from the drill's records (the emulator has no Monitoring): the
 *    oldest published event no region has predicted, which is what `oldest_unacked_message_age`
 *    measures (A acks only after publishing the prediction), less the margin;
 * 5. in standby mode, region B's worker starts; then the books (./accounting.ts).
 *
 * Each worker stamps its region on `modelId` (`<model>@<region>`) so the books can tell the regions'
 * predictions apart; in the cloud both regions' workers stamp the same model id.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import type { EmulatorHosts, LocalWorkerSettings, WorkerProcess } from "../../local";
import { eventStream, OutcomeCollector, provisionLocalPlatform, publishLoad, REPO_ROOT } from "../../local";
import { emulatorFailoverClients } from "../failover/emulatorClients";
import { failoverMain, withOldestUnacked } from "../failover/cli";
import type { FailoverResult } from "../failover/failover";
import { startModelProxy } from "../chaos/modelProxy";
import type { DrillBooks, DrillInput, DrillPrediction } from "./accounting";
import { drillBooks } from "./accounting";

export type DrillMode = "standby" | "active-active";

export interface DrillSizes {
  /** Events per second. */
  rate: number;
  /** Seconds of publishing. */
  seconds: number;
  /** When region A is killed, seconds after publishing started. */
  killAfterSeconds: number;
  /** Longest wait for every event to be predicted after publishing ends, s. */
  settleSeconds: number;
}

/** The drill's two regions, as Pulumi.prod.yaml names them. */
export const DRILL_REGIONS = { failed: "us-central1", standby: "us-east1" } as const;

/**
 * Margin before the oldest unpredicted event: covers the time between Pub/Sub stamping an event's
 * publish time and the drill's publish call resolving (its record), a few ms to a few hundred under
 * load. The command's default (60 s) covers the metric's sampling in the cloud.
 */
export const DRILL_MARGIN_SECONDS = 5;

export interface DrillResult extends DrillBooks {
  mode: DrillMode;
  sizes: DrillSizes;
  replayWindow: {
    /** The point the standby subscription was sought to (standby mode). */
    replayPoint?: string;
    /** What the command was told: the oldest unpredicted event's publish time. */
    oldestUnacked?: string;
    killAt: string;
    marginSeconds: number;
    /** Kill - replay point, s: the stretch region B predicted again. */
    seconds: number;
    /** Events published inside the window that region A had already predicted: the expected duplicates. */
    eventsAlreadyPredicted: number;
  };
  failover: { exitCode: number; lines: string[]; result?: FailoverResult };
  durationSeconds: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const iso = (ms: number) => new Date(ms).toISOString();

/** A stack file for the drill: prod's, with the local prefix and the mode. */
function writeDrillStack(dir: string, stack: string, prefix: string, mode: DrillMode): void {
  const doc = parseDocument(readFileSync(join(REPO_ROOT, "Pulumi.prod.yaml"), "utf8"));
  doc.setIn(["config", "streaming-inference:namePrefix"], prefix);
  doc.setIn(["config", "streaming-inference:failoverMode"], mode);
  doc.setIn(["config", "streaming-inference:regions"], [DRILL_REGIONS.failed, DRILL_REGIONS.standby]);
  doc.setIn(["config", "streaming-inference:activeRegion"], DRILL_REGIONS.failed);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `Pulumi.${stack}.yaml`), doc.toString());
}

export async function runDrill(
  hosts: EmulatorHosts,
  mode: DrillMode,
  sizes: DrillSizes,
  say: (line: string) => void,
): Promise<DrillResult> {
  const started = Date.now();
  const stack = `drill-${mode}`;
  // Unique per run, within namePrefix's 15 characters.
  const prefix = `d${mode === "standby" ? "sb" : "aa"}-${Math.floor(started / 1000).toString(36)}`;
  const stackDir = join(REPO_ROOT, ".local", "drill");
  writeDrillStack(stackDir, stack, prefix, mode);
  const { failed, standby } = DRILL_REGIONS;
  const platform = await provisionLocalPlatform(hosts, {
    prefix,
    bigtableInstance: prefix,
    region: failed,
    otherRegions: [standby],
    logDir: join(REPO_ROOT, "bench-results", "logs"),
  });
  const inputs: DrillInput[] = [];
  const predictions: DrillPrediction[] = [];
  const predicted = new Set<string>();
  const collector = new OutcomeCollector(platform.clients.pubsub, {
    predictionsSubscription: platform.messaging.predictionsSubscription,
    deadLetterSubscription: platform.messaging.deadLetterSubscription,
    onPrediction: (p) => {
      predicted.add(p.inputId);
      predictions.push({ ...p, region: p.record?.modelId.split("@")[1] ?? "unknown" });
    },
  });
  // Region A's endpoint: the stand-in behind a proxy that the kill cuts.
  const { proxy: endpointA, settings: viaEndpointA } = await startModelProxy(platform);
  const workerIn = (region: string, settings: LocalWorkerSettings = {}): WorkerProcess =>
    platform.startWorker({
      subscription: platform.messaging.inputSubscriptions[region]!,
      region,
      modelId: `${platform.profile.modelId}@${region}`,
      ...settings,
    });
  try {
    const workerA = workerIn(failed, viaEndpointA);
    const workerB = mode === "active-active" ? workerIn(standby) : undefined;
    await Promise.all([workerA.ready(), workerB?.ready()]);
    let standbyReadyAt = workerB ? Date.now() : 0;
    collector.start();
    say(
      `${mode}: region ${failed} serving${workerB ? `, ${standby} too` : ""}; ${sizes.rate} events/s for ${sizes.seconds} s`,
    );
    const publishStart = Date.now();
    const publishing = publishLoad(
      platform.clients.pubsub,
      eventStream({
        count: sizes.rate * sizes.seconds,
        entities: platform.entities,
        poisonShare: 0,
        runId: stack,
      }),
      {
        topic: platform.messaging.events.topic,
        rate: sizes.rate,
        onPublished: (message) => {
          inputs.push({ id: message.id, publishedAt: message.publishedAt });
          collector.recordPublished(message);
        },
      },
    );
    publishing.catch(() => undefined); // awaited below; a drill that fails first must not leave it unhandled
    await sleep(Math.max(0, publishStart + sizes.killAfterSeconds * 1000 - Date.now()));

    const killAt = Date.now();
    await Promise.all([workerA.kill(), endpointA.cut()]);
    say(`${mode}: killed region ${failed} (worker SIGKILL, endpoint cut) at ${iso(killAt)}`);
    const unpredicted = inputs.filter((i) => !predicted.has(i.id));
    const oldestUnacked =
      unpredicted.length === 0 ? Date.now() : Math.min(...unpredicted.map((i) => i.publishedAt));
    const lines: string[] = [];
    const run = await failoverMain(
      [
        "--stack",
        stack,
        "--to",
        standby,
        "--config-dir",
        stackDir,
        ...(mode === "standby"
          ? ["--margin", String(DRILL_MARGIN_SECONDS), "--oldest-unacked", iso(oldestUnacked)]
          : []),
      ],
      REPO_ROOT,
      { write: (line) => lines.push(line), warn: (line) => lines.push(line) },
      (_stack, oldest) =>
        withOldestUnacked(emulatorFailoverClients(platform.clients.pubsub, hosts.pubsubHost), oldest),
    );
    const failoverDoneAt = Date.now();
    for (const line of lines) say(`${mode}:   ${line}`);
    if (run.code !== 0) throw new Error(`the failover command exited ${run.code}: ${lines.join(" / ")}`);

    if (mode === "standby") {
      const b = workerIn(standby);
      await b.ready();
      standbyReadyAt = Date.now();
      say(
        `${mode}: region ${standby}'s worker ready ${((standbyReadyAt - killAt) / 1000).toFixed(1)} s after the kill`,
      );
    }
    await publishing;
    const deadline = Date.now() + sizes.settleSeconds * 1000;
    while (Date.now() < deadline && inputs.some((i) => !predicted.has(i.id))) await sleep(200);
    await sleep(1000); // late duplicates still in flight are counted too
    const books = drillBooks(
      inputs,
      predictions,
      { killAt, failoverDoneAt, standbyReadyAt },
      { failed, standby },
    );
    const replayPoint = run.result?.replayPoint;
    const windowStart = replayPoint?.getTime() ?? killAt;
    const alreadyPredicted = inputs.filter(
      (i) =>
        i.publishedAt >= windowStart &&
        i.publishedAt < killAt &&
        predictions.some((p) => p.inputId === i.id && p.region === failed),
    ).length;
    return {
      mode,
      sizes,
      ...books,
      replayWindow: {
        replayPoint: replayPoint?.toISOString(),
        oldestUnacked: mode === "standby" ? iso(oldestUnacked) : undefined,
        killAt: iso(killAt),
        marginSeconds: mode === "standby" ? DRILL_MARGIN_SECONDS : 0,
        seconds: Math.round((killAt - windowStart) / 100) / 10,
        eventsAlreadyPredicted: alreadyPredicted,
      },
      failover: { exitCode: run.code, lines, result: run.result },
      durationSeconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    await collector.close().catch(() => undefined);
    await platform.stop().catch(() => undefined);
    await endpointA.close().catch(() => undefined);
  }
}
