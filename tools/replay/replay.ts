/**
 * Replaying dead letters (`npm run replay-dlq`), as logic over an injected dead-letter source
 * and events topic, so it is tested here with fakes (test/tools/replay) and on the Pub/Sub
 * emulator (test/integration/replayDlq.test.ts), while pubsub.ts wires the real clients.
 *
 * Letters are pulled from the inspection subscription on the events channel's dead-letter
 * topic (`<prefix>-events-dlq-inspect`, contract/names.ts), chosen by their `error.reason`
 * attribute, republished to the events topic and acked only once the publish succeeded. Letters
 * not chosen, and every letter of a dry run, are released (ack deadline 0) so they stay for
 * the next look. Nothing is dropped: a failed publish leaves its letter on the subscription.
 */
import { ATTRIBUTES } from "../../contract/names";

/** One pulled dead letter. */
export interface DeadLetter {
  ackId: string;
  messageId: string;
  data: Buffer;
  attributes: Record<string, string>;
}

/** The dead-letter subscription (a synchronous-pull subscriber, narrowed). */
export interface DeadLetterSource {
  /** Up to `max` letters; may return fewer, or none, while more wait (Pub/Sub's pull says so). */
  pull(max: number): Promise<DeadLetter[]>;
  ack(ackIds: readonly string[]): Promise<void>;
  /** Makes letters available again at once (modifyAckDeadline 0). */
  release(ackIds: readonly string[]): Promise<void>;
}

/** The events topic: publishes one message, resolving with its id. */
export type Republish = (data: Buffer, attributes: Record<string, string>) => Promise<string>;

export interface ReplayOptions {
  /** Only letters with this `error.reason`; `none` picks letters without one (Pub/Sub gave up on them). */
  reason?: string;
  dryRun: boolean;
  /** Stop after looking at this many letters. */
  max: number;
  /** Letters per pull. */
  batch: number;
  /** Consecutive empty pulls that mean the subscription is drained. */
  emptyPulls: number;
}

export interface ReplayReport {
  /** Letters looked at (each once, however often it was delivered). */
  seen: number;
  /** Letters looked at, by `error.reason` (`none` for letters without one). */
  byReason: Record<string, number>;
  /** Letters the reason filter chose. */
  chosen: number;
  republished: number;
  /** Chosen letters whose publish failed; they stay on the dead-letter subscription. */
  failed: { messageId: string; error: string }[];
  /** A few letters per reason: id, the worker's `error.message`, the start of the data. */
  samples: { reason: string; messageId: string; message: string; data: string }[];
}

/** The reason a letter carries, or `none`. */
export function reasonOf(letter: Pick<DeadLetter, "attributes">): string {
  return letter.attributes[ATTRIBUTES.errorReason] ?? "none";
}

/** Pub/Sub's own dead-letter attributes (`CloudPubSubDeadLetterSource...`). */
const PUBSUB_DEAD_LETTER_PREFIX = "CloudPubSubDeadLetter";
/** The attribute a replayed event carries: the dead letter it came from. */
export const REPLAYED_FROM_ATTRIBUTE = "replay.deadLetterMessageId";

/** The attributes an event is republished with: the original's, without what dead-lettering added. */
export function replayAttributes(letter: DeadLetter): Record<string, string> {
  const kept = Object.entries(letter.attributes).filter(
    ([key]) => !key.startsWith("error.") && !key.startsWith(PUBSUB_DEAD_LETTER_PREFIX),
  );
  return { ...Object.fromEntries(kept), [REPLAYED_FROM_ATTRIBUTE]: letter.messageId };
}

const SAMPLES_PER_REASON = 3;

export async function replayDeadLetters(
  source: DeadLetterSource,
  republish: Republish,
  options: ReplayOptions,
): Promise<ReplayReport> {
  const report: ReplayReport = { seen: 0, byReason: {}, chosen: 0, republished: 0, failed: [], samples: [] };
  const seen = new Set<string>();
  const held: string[] = [];
  let empty = 0;
  try {
    while (report.seen < options.max && empty < options.emptyPulls) {
      const letters = await source.pull(Math.min(options.batch, options.max - report.seen));
      const fresh = letters.filter((l) => !seen.has(l.messageId));
      // Redelivered ones (their ack deadline passed while held) go back at once; they were counted.
      const again = letters.filter((l) => seen.has(l.messageId)).map((l) => l.ackId);
      if (again.length > 0) await source.release(again);
      empty = fresh.length === 0 ? empty + 1 : 0;
      for (const letter of fresh) {
        seen.add(letter.messageId);
        report.seen++;
        const reason = reasonOf(letter);
        report.byReason[reason] = (report.byReason[reason] ?? 0) + 1;
        if (report.samples.filter((s) => s.reason === reason).length < SAMPLES_PER_REASON) {
          report.samples.push({
            reason,
            messageId: letter.messageId,
            message: letter.attributes[ATTRIBUTES.errorMessage] ?? "",
            data: letter.data.toString("utf8").slice(0, 120),
          });
        }
        const chosen = options.reason === undefined || options.reason === reason;
        if (chosen) report.chosen++;
        if (!chosen || options.dryRun) {
          held.push(letter.ackId);
          continue;
        }
        try {
          await republish(letter.data, replayAttributes(letter));
        } catch (err) {
          report.failed.push({
            messageId: letter.messageId,
            error: err instanceof Error ? err.message : String(err),
          });
          held.push(letter.ackId);
          continue;
        }
        await source.ack([letter.ackId]);
        report.republished++;
      }
    }
  } finally {
    if (held.length > 0) await source.release(held);
  }
  return report;
}

/** The report as lines for the terminal. */
export function formatReplay(
  report: ReplayReport,
  options: Pick<ReplayOptions, "reason" | "dryRun">,
): string[] {
  const reasons = Object.entries(report.byReason)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `  ${String(n).padStart(6)}  ${reason}`);
  const lines = [`dead letters looked at: ${report.seen}`, ...reasons];
  for (const s of report.samples) {
    lines.push(`  e.g. ${s.reason} ${s.messageId}: ${s.message || "(no message)"} | ${s.data}`);
  }
  const which = options.reason === undefined ? "every reason" : `reason ${options.reason}`;
  if (options.dryRun) {
    lines.push(`dry run: ${report.chosen} of ${which} would be republished; nothing was acked or published`);
  } else {
    lines.push(
      `republished ${report.republished} of ${report.chosen} (${which}) to the events topic and acked them`,
    );
  }
  for (const f of report.failed)
    lines.push(`  FAILED ${f.messageId}: ${f.error} (left on the dead-letter subscription)`);
  return lines;
}
