/**
 * One load run against a local platform: publish a stream of events, collect
 * predictions and dead letters, report progress each second, and wait until
 * every input is accounted for.
 */
import { eventStream } from "../load/events";
import type { EventStreamOptions } from "../load/events";
import { publishLoad } from "../load/publishLoad";
import { OutcomeCollector } from "../outcomes/collector";
import type { OutcomeCounts } from "../outcomes/collector";
import type { LocalPlatform } from "../platform";

export interface LoadRunOptions {
  messages: number;
  /** Messages per second; 0 = as fast as possible. */
  rate: number;
  /** Share of poison messages (0..1). */
  poisonShare: number;
  /** Give up waiting for outcomes after this long from the start, ms. */
  timeoutMs: number;
  /** Distinguishes the events of this run. Default "run". */
  runId?: string;
  /** Called about once a second with a progress line. */
  onProgress?: (line: string) => void;
  /** Ends publishing and waiting early (Ctrl-C). */
  signal?: AbortSignal;
  /** Extra stream options (inline feature share, seed). */
  stream?: Partial<EventStreamOptions>;
}

export interface LoadRunResult {
  collector: OutcomeCollector;
  /** True if every published input was accounted for before the timeout. */
  complete: boolean;
  elapsedMs: number;
}

export function progressLine(
  elapsedMs: number,
  target: number,
  counts: OutcomeCounts,
  ratePerSecond: number,
): string {
  const seconds = String(Math.round(elapsedMs / 1000)).padStart(4);
  return (
    `[${seconds}s] published ${counts.published}/${target} | predicted ${counts.predicted}` +
    ` | dead-lettered ${counts.deadLettered} | outstanding ${counts.outstanding}` +
    ` | duplicates ${counts.duplicates} | ${Math.round(ratePerSecond)} done/s`
  );
}

/** Runs the load; the collector is returned open (the caller reads outcomes, then closes it). */
export async function runLoad(platform: LocalPlatform, options: LoadRunOptions): Promise<LoadRunResult> {
  const collector = new OutcomeCollector(platform.clients.pubsub, {
    predictionsSubscription: platform.messaging.predictionsSubscription,
    deadLetterSubscription: platform.messaging.deadLetterSubscription,
  });
  collector.start();
  const started = Date.now();
  let lastDone = 0;
  let lastTick = started;
  const ticker = setInterval(() => {
    const now = Date.now();
    const counts = collector.counts();
    const done = counts.predicted + counts.deadLettered;
    options.onProgress?.(
      progressLine(now - started, options.messages, counts, ((done - lastDone) * 1000) / (now - lastTick)),
    );
    lastDone = done;
    lastTick = now;
  }, 1000);
  try {
    await publishLoad(
      platform.clients.pubsub,
      eventStream({
        count: options.messages,
        entities: platform.entities,
        poisonShare: options.poisonShare,
        runId: options.runId,
        inlineFeature: platform.profile.inlineFeature,
        outOfRangeFeature: platform.profile.outOfRangeFeature,
        ...options.stream,
      }),
      {
        topic: platform.messaging.events.topic,
        rate: options.rate,
        signal: options.signal,
        onPublished: (message) => collector.recordPublished(message),
      },
    );
    const remaining = Math.max(0, options.timeoutMs - (Date.now() - started));
    const complete = await collector.waitForAll(remaining, options.signal);
    return { collector, complete, elapsedMs: Date.now() - started };
  } finally {
    clearInterval(ticker);
  }
}
