/**
 * The books of a failover drill, by input message id, across both regions' subscriptions: an
 * event is done when any region predicted it. Region A's subscription is abandoned at the kill
 * (the emulator keeps dealing to the dead worker's streams, FACTS.md), so what it still holds, or
 * dead-letters later, is not a loss as long as region B predicted the event; what neither region
 * predicted is. Pure functions, tested on their own (test/tools/drill/accounting.test.ts).
 */
import { LATEST_PER_ENTITY, LATEST_PER_EVENT } from "../../components/analytics/latestViews";
import type { PredictionRecord } from "../../contract";
import { latestRows } from "./latestOffline";

export interface DrillPrediction {
  inputId: string;
  outputId: string;
  /** Region of the worker that made it. */
  region: string;
  receivedAt: number;
  record?: PredictionRecord;
}

export interface DrillInput {
  id: string;
  publishedAt: number;
}

export interface DrillTimes {
  killAt: number;
  /** When the failover command returned. */
  failoverDoneAt: number;
  /** When region B's worker was ready (in active-active: before the kill). */
  standbyReadyAt: number;
}

export interface DrillBooks {
  published: number;
  /** Inputs predicted by at least one region. */
  predicted: number;
  /** Published and predicted by no region. Must be 0. */
  lost: number;
  lostIds: string[];
  predictedBy: Record<string, number>;
  duplicates: {
    /** Inputs predicted by both regions (each prediction carries the input's message id). */
    acrossRegions: number;
    /** Extra predictions of an input by the same region (at-least-once redelivery). */
    withinRegion: number;
    /** Predictions whose record's messageId is not its input's id (must be 0). */
    wrongMessageId: number;
  };
  recovery: {
    /** Kill -> the failover command returned, ms. */
    toFailoverDoneMs: number;
    /** Kill -> region B's worker ready, ms (negative in active-active: it was ready before). */
    toStandbyReadyMs: number;
    /** Kill -> the first prediction from region B received after the kill, ms (null: none). */
    toFirstPredictionMs: number | null;
    /**
     * Kill -> every event published before region B's worker was ready (before the kill in
     * active-active) predicted by some region: the backlog that built up is gone, ms (null: never).
     */
    toBacklogDrainedMs: number | null;
    /** Events published before the kill that region A had not predicted (the backlog B took over). */
    backlogAtKill: number;
  };
  /** The de-duplicating views' rules over every prediction of the drill (./latestOffline.ts). */
  dedup: {
    rows: number;
    latestPerEvent: number;
    latestPerEntity: number;
    distinctEntities: number;
    /** latestPerEvent equals the predicted inputs, each once; latestPerEntity one per entity. */
    ok: boolean;
  };
}

export function drillBooks(
  inputs: readonly DrillInput[],
  predictions: readonly DrillPrediction[],
  times: DrillTimes,
  regions: { failed: string; standby: string },
): DrillBooks {
  const byInput = new Map<string, DrillPrediction[]>();
  for (const p of predictions) {
    const list = byInput.get(p.inputId) ?? [];
    list.push(p);
    byInput.set(p.inputId, list);
  }
  const published = new Set(inputs.map((i) => i.id));
  const lostIds = inputs.filter((i) => !byInput.has(i.id)).map((i) => i.id);
  const predictedBy: Record<string, number> = {};
  let acrossRegions = 0;
  let withinRegion = 0;
  for (const [inputId, list] of byInput) {
    if (!published.has(inputId)) continue; // not from this drill
    const perRegion = new Map<string, number>();
    for (const p of list) perRegion.set(p.region, (perRegion.get(p.region) ?? 0) + 1);
    for (const [region, n] of perRegion) {
      predictedBy[region] = (predictedBy[region] ?? 0) + 1;
      withinRegion += n - 1;
    }
    if (perRegion.size > 1) acrossRegions++;
  }
  const wrongMessageId = predictions.filter(
    (p) => p.record !== undefined && p.record.messageId !== p.inputId,
  ).length;

  const firstFromStandby = predictions
    .filter((p) => p.region === regions.standby && p.receivedAt >= times.killAt)
    .reduce<number | undefined>(
      (min, p) => (min === undefined || p.receivedAt < min ? p.receivedAt : min),
      undefined,
    );
  const beforeKill = inputs.filter((i) => i.publishedAt < times.killAt);
  const firstPredictionAt = (id: string) =>
    byInput.get(id)?.reduce((min, p) => Math.min(min, p.receivedAt), Number.POSITIVE_INFINITY);
  const backlog = beforeKill.filter((i) => {
    const fromFailed = byInput
      .get(i.id)
      ?.filter((p) => p.region === regions.failed && p.receivedAt < times.killAt);
    return fromFailed === undefined || fromFailed.length === 0;
  });
  const backlogEnd = Math.max(times.killAt, times.standbyReadyAt);
  let drainedAt: number | null = times.killAt;
  for (const i of inputs.filter((input) => input.publishedAt < backlogEnd)) {
    const at = firstPredictionAt(i.id);
    if (at === undefined || !Number.isFinite(at)) {
      drainedAt = null;
      break;
    }
    drainedAt = Math.max(drainedAt, at);
  }

  const rows = predictions.flatMap((p) => (p.record === undefined ? [] : [p.record]));
  const perEvent = latestRows(LATEST_PER_EVENT, rows);
  const perEntity = latestRows(LATEST_PER_ENTITY, rows);
  const distinctEntities = new Set(rows.map((r) => r.entityId)).size;
  const predicted = inputs.length - lostIds.length;
  return {
    published: inputs.length,
    predicted,
    lost: lostIds.length,
    lostIds: lostIds.slice(0, 50),
    predictedBy,
    duplicates: { acrossRegions, withinRegion, wrongMessageId },
    recovery: {
      toFailoverDoneMs: Math.round(times.failoverDoneAt - times.killAt),
      toStandbyReadyMs: Math.round(times.standbyReadyAt - times.killAt),
      toFirstPredictionMs:
        firstFromStandby === undefined ? null : Math.round(firstFromStandby - times.killAt),
      toBacklogDrainedMs: drainedAt === null ? null : Math.round(drainedAt - times.killAt),
      backlogAtKill: backlog.length,
    },
    dedup: {
      rows: rows.length,
      latestPerEvent: perEvent.size,
      latestPerEntity: perEntity.size,
      distinctEntities,
      ok:
        perEvent.size === predicted &&
        [...perEvent.entries()].every(([id, row]) => row.messageId === id && published.has(id)) &&
        perEntity.size === distinctEntities,
    },
  };
}
