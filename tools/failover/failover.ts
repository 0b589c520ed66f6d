/**
 * The failover decision and its steps, over injected clients (./clients.ts):
 *
 * - standby, `--to B` (B is not active): the replay point T is the failed region's oldest
 *   unacknowledged message (Cloud Monitoring `oldest_unacked_message_age`, reported by Pub/Sub
 *   whatever the region's compute does) less a margin, or `--at`; B's subscription is sought to T;
 *   `activeRegion` becomes B. Fail-back is the same command towards the old region.
 * - active-active, `--to B`: B already predicts every event from its own subscription, so the
 *   other regions' subscriptions are sought to now (their catch-up would only repeat B's work).
 *
 * Refused (exit 2, nothing touched): a region not configured, a T outside the subscription's
 * retention or in the future, a standby subscription that already has a worker, an active-active
 * target without one.
 */
import { CHANNELS, channelNames } from "../../contract";
import { PUBSUB_METRICS } from "../../components/observability/filters";
import type { FailoverClients, SubscriptionFacts, WorkerPresence } from "./clients";
import { Unavailable } from "./clients";
import type { FailoverStack } from "./stackFile";

/**
 * Default margin before the oldest unacked message, seconds. The metric is a gauge sampled every
 * 60 s; T is computed from a point's own end time, so the margin only covers clock differences
 * between Pub/Sub's publish stamp and the sample, and the whole-second age. Each second of margin
 * costs `input rate` duplicates, which downstream drops by message id.
 */
export const DEFAULT_MARGIN_SECONDS = 60;

export const OLDEST_UNACKED_METRIC = PUBSUB_METRICS.oldestUnackedAge;

export interface FailoverRequest {
  to: string;
  /** Replay point given by the operator (no margin applied). */
  at?: Date;
  marginSeconds: number;
  dryRun: boolean;
  now: Date;
}

export interface SeekStep {
  region: string;
  subscription: string;
  /** undefined in a dry run whose replay point could not be computed. */
  time?: Date;
  why: string;
  done: boolean;
}

export interface FailoverResult {
  mode: "standby" | "active-active";
  stack: string;
  target: string;
  from: string[];
  to: string;
  /** The replay point (standby), with how it was found; active-active seeks to now. */
  replayPoint?: Date;
  replaySource: string;
  marginSeconds: number;
  workerCheck: string;
  /** The earliest replay point the standby subscription can honour, and where its retention was read. */
  seekWindow?: string;
  seeks: SeekStep[];
  configChange?: { file: string; key: string; from: string; to: string; done: boolean };
  pulumiCommands: string[];
  dryRun: boolean;
}

/** A refusal: nothing was changed; the CLI exits 2 with the message. */
export class FailoverRefused extends Error {}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export function subscriptionOf(stack: FailoverStack, region: string): string {
  return channelNames(stack.topology.prefix, CHANNELS.events).subscription(region);
}

/**
 * The earliest time a seek can restore (pubsub.proto `SeekRequest.time`: only retained messages are
 * marked unacked). Unacked messages are kept for the subscription's retention; the topic's
 * retention (`Topic.message_retention_duration`, set by MessageChannel) lets any subscription seek
 * back that far, acked or not.
 */
export function seekWindowStart(facts: SubscriptionFacts, now: Date): Date {
  const seconds = Math.max(facts.retentionSeconds, facts.topicRetentionSeconds ?? 0);
  return new Date(now.getTime() - seconds * 1000);
}

/** Refuses a replay point the subscription cannot honour. */
export function checkReplayPoint(at: Date, facts: SubscriptionFacts, now: Date, stackName: string): void {
  const start = seekWindowStart(facts, now);
  if (at.getTime() < start.getTime()) {
    throw new FailoverRefused(
      `replay point ${iso(at)} is outside the retention of ${facts.name}: it keeps messages for ` +
        `${Math.max(facts.retentionSeconds, facts.topicRetentionSeconds ?? 0)} s, so the earliest point a seek ` +
        `restores is ${iso(start)}. Events published before that are gone from Pub/Sub; replay them from ` +
        `their source, then fail over with --at ${iso(start)} or later ` +
        `(streaming-inference:messaging.messageRetentionSeconds in Pulumi.${stackName}.yaml sets the window).`,
    );
  }
  if (at.getTime() > now.getTime()) {
    throw new FailoverRefused(
      `replay point ${iso(at)} is in the future (now ${iso(now)}): seeking there would mark every event ` +
        `published until then as done without predicting it. Give a time in the past.`,
    );
  }
}

/** The replay point of a standby failover: `--at`, or the oldest unacked message less the margin. */
async function replayPointOf(
  clients: FailoverClients,
  failedSubscription: string,
  request: FailoverRequest,
): Promise<{ point?: Date; source: string }> {
  if (request.at !== undefined) return { point: request.at, source: "--at (given; no margin applied)" };
  try {
    const oldest = await clients.oldestUnacked(failedSubscription);
    const base = oldest.publishTime ?? request.now;
    const what = oldest.publishTime
      ? `oldest unacked message of ${failedSubscription} published ${iso(oldest.publishTime)}`
      : `${failedSubscription} has no unacked message (now ${iso(request.now)})`;
    return {
      // Whole seconds, rounded down (earlier is the safe side): the point printed is the point sought.
      point: new Date(Math.floor((base.getTime() - request.marginSeconds * 1000) / 1000) * 1000),
      source: `${what}, from ${oldest.source}, less a margin of ${request.marginSeconds} s`,
    };
  } catch (error) {
    if (!(error instanceof Unavailable)) throw error;
    const source = `to be computed from ${OLDEST_UNACKED_METRIC} of ${failedSubscription} (unavailable here: ${error.message})`;
    if (request.dryRun) return { source };
    throw new FailoverRefused(`cannot compute the replay point: ${error.message}. Give it with --at <time>.`);
  }
}

/** Asks a presence probe; a dry run reports a probe that cannot answer instead of failing. */
async function presence(
  clients: FailoverClients,
  region: string,
  subscription: string,
  dryRun: boolean,
): Promise<WorkerPresence | undefined> {
  try {
    return await clients.workerOn(region, subscription);
  } catch (error) {
    if (error instanceof Unavailable && dryRun) return undefined;
    if (error instanceof Unavailable) {
      throw new FailoverRefused(
        `cannot tell whether ${region} has a worker on ${subscription}: ${error.message}`,
      );
    }
    throw error;
  }
}

export function pulumiCommands(stackName: string): string[] {
  return [`pulumi preview --stack ${stackName} --diff`, `pulumi up --stack ${stackName}`];
}

/**
 * Decides and (unless a dry run) performs the failover. Every check runs before the first change:
 * a refusal leaves the subscriptions and the stack file as they were.
 */
export async function runFailover(
  stack: FailoverStack,
  request: FailoverRequest,
  clients: FailoverClients,
  writeActiveRegion: (region: string) => void,
): Promise<FailoverResult> {
  const { topology } = stack;
  const to = request.to;
  if (!topology.regions.includes(to)) {
    throw new FailoverRefused(
      `region ${to} is not configured in stack ${stack.name}: streaming-inference:regions is ` +
        `[${topology.regions.join(", ")}] (${stack.file}). A region needs its subscription (created by ` +
        `\`pulumi up\` from that list) before anything can fail over to it.`,
    );
  }
  const mode = stack.config.failoverMode;
  const toSubscription = subscriptionOf(stack, to);
  const base = {
    mode,
    stack: stack.name,
    target: clients.target,
    to,
    marginSeconds: request.marginSeconds,
    pulumiCommands: pulumiCommands(stack.name),
    dryRun: request.dryRun,
  };
  const configChange =
    topology.activeRegion === to
      ? undefined
      : {
          file: stack.file,
          key: "streaming-inference:activeRegion",
          from: topology.activeRegion,
          to,
          done: false,
        };

  if (mode === "standby") {
    const from = topology.activeRegion;
    if (from === to) {
      throw new FailoverRefused(
        `${to} is already the active region of stack ${stack.name}; to fail back, name the other region.`,
      );
    }
    const worker = await presence(clients, to, toSubscription, request.dryRun);
    if (worker?.running === true) {
      throw new FailoverRefused(
        `the standby subscription ${toSubscription} already has a worker (${worker.evidence}): it has been ` +
          `consuming, so a seek would re-deliver or skip under it. Stop it, or if a failover is half done, ` +
          `finish it with \`pulumi up --stack ${stack.name}\`.`,
      );
    }
    const replay = await replayPointOf(clients, subscriptionOf(stack, from), request);
    const facts = await clients.subscriptionFacts(toSubscription).catch((error: unknown) => {
      if (error instanceof Unavailable && request.dryRun) return undefined;
      throw error;
    });
    if (replay.point !== undefined && facts !== undefined)
      checkReplayPoint(replay.point, facts, request.now, stack.name);
    const configured = stack.config.messaging.messageRetentionSeconds;
    const seekWindow = facts
      ? `from ${iso(seekWindowStart(facts, request.now))} (retention of ${toSubscription}, read from Pub/Sub)`
      : `from ${iso(new Date(request.now.getTime() - configured * 1000))} if ${toSubscription} keeps ` +
        `messaging.messageRetentionSeconds = ${configured} s (not read from Pub/Sub here)`;
    const seek: SeekStep = {
      region: to,
      subscription: toSubscription,
      time: replay.point,
      why: "replay what the failed region may not have predicted",
      done: false,
    };
    if (!request.dryRun) {
      await clients.seek(toSubscription, replay.point!);
      seek.done = true;
      if (configChange) {
        writeActiveRegion(to);
        configChange.done = true;
      }
    }
    return {
      ...base,
      from: [from],
      replayPoint: replay.point,
      replaySource: replay.source,
      seekWindow,
      workerCheck: worker
        ? `${toSubscription}: no worker (${worker.evidence})`
        : `${toSubscription}: not checked here (no access)`,
      seeks: [seek],
      configChange,
    };
  }

  // active-active: the target keeps predicting everything; the others' backlogs are skipped.
  if (request.at !== undefined) {
    throw new FailoverRefused(
      `--at does not apply in active-active mode: ${to} already predicts every event from its own ` +
        `subscription, so the other regions' subscriptions are sought to now.`,
    );
  }
  const worker = await presence(clients, to, toSubscription, request.dryRun);
  if (worker?.running === false) {
    throw new FailoverRefused(
      `${to} has no worker on ${toSubscription} (${worker.evidence}): in active-active mode it must be ` +
        `predicting before the other regions' backlogs are skipped. Start it (\`pulumi up --stack ${stack.name}\`) first.`,
    );
  }
  const others = topology.regions.filter((region) => region !== to);
  const seeks: SeekStep[] = others.map((region) => ({
    region,
    subscription: subscriptionOf(stack, region),
    time: request.now,
    why: `skip the catch-up: ${to} predicts these events from its own subscription`,
    done: false,
  }));
  if (!request.dryRun) {
    for (const seek of seeks) {
      await clients.seek(seek.subscription, seek.time!);
      seek.done = true;
    }
    if (configChange) {
      writeActiveRegion(to);
      configChange.done = true;
    }
  }
  return {
    ...base,
    from: others,
    replayPoint: undefined,
    replaySource: `none: ${to} keeps predicting from its own subscription; the others are sought to now`,
    marginSeconds: 0,
    workerCheck: worker
      ? `${toSubscription}: worker running (${worker.evidence})`
      : "not checked here (no access)",
    seeks,
    configChange,
  };
}

/** What the command did (or would do), line by line. */
export function describeFailover(result: FailoverResult): string[] {
  const would = result.dryRun ? "would " : "";
  const lines = [
    `failover of stack ${result.stack} (${result.mode}) to ${result.to}, on ${result.target}${result.dryRun ? " - DRY RUN, nothing changed" : ""}`,
    `  failed region(s): ${result.from.join(", ")}`,
    `  replay point: ${result.replayPoint ? iso(result.replayPoint) : "-"} (${result.replaySource})`,
    `  worker check: ${result.workerCheck}`,
    ...(result.seekWindow ? [`  seek window: ${result.seekWindow}`] : []),
  ];
  for (const seek of result.seeks) {
    lines.push(
      `  seek: ${seek.done ? "sought" : `${would}seek`} ${seek.subscription} to ${seek.time ? iso(seek.time) : "the replay point"} (${seek.why})`,
    );
  }
  lines.push(
    result.configChange
      ? `  config: ${result.configChange.done ? "set" : `${would}set`} ${result.configChange.key} ${result.configChange.from} -> ${result.configChange.to} in ${result.configChange.file}`
      : `  config: activeRegion is already ${result.to}; no change`,
  );
  lines.push("  then run (the worker and its autoscaler move; no data-bearing resource may be replaced):");
  for (const command of result.pulumiCommands) lines.push(`    ${command}`);
  return lines;
}
