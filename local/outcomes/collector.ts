/**
 * Reads what came out of the pipeline (predictions, dead letters) and matches it
 * to what went in, by input message id, to count what was lost or duplicated.
 */
import type { Message, PubSub, Subscription } from "@google-cloud/pubsub";
import { ATTRIBUTES, pubsubMessageProblems } from "../../contract";
import type { JsonValue, PredictionRecord } from "../../contract";
import { LOAD_KEY_ATTRIBUTE } from "../load/events";
import type { PublishedMessage } from "../load/publishLoad";
import { percentile } from "./percentiles";
import { tableRowProblems } from "./tableRow";

/** Attribute Pub/Sub's dead-letter policy adds when it moves a message to the dead-letter topic. */
const DEAD_LETTER_DELIVERY_COUNT = "CloudPubSubDeadLetterSourceDeliveryCount";

/** One dead letter for an input. */
export interface DeadLetterSeen {
  /** `error.reason` from the worker, or "max_delivery_attempts" when the subscription's policy moved it. */
  reason: string;
  message?: string;
  /** True when Pub/Sub's dead-letter policy moved it (not the worker). */
  byPolicy: boolean;
  deliveryCount?: number;
  attributes: Record<string, string>;
}

/** Everything seen for one input message. */
export interface InputOutcome {
  published: PublishedMessage;
  /** Distinct prediction messages for this input (more than 1 = duplicates). */
  predictions: number;
  deadLetters: DeadLetterSeen[];
  /** ms from the input's publish time to the first prediction's receipt. */
  latencyMs?: number;
  /** The first prediction's record. */
  prediction?: PredictionRecord;
  /** The part of `latencyMs` spent before the worker handed the prediction to Pub/Sub (its own measure). */
  workerEndToEndMs?: number;
}

/** Counts at a moment, for progress lines. */
export interface OutcomeCounts {
  published: number;
  predicted: number;
  deadLettered: number;
  /** Published but neither predicted nor dead-lettered (yet). */
  outstanding: number;
  duplicates: number;
}

/** The run summary; `npm start -- --json` writes these keys, and `machineLoad`. */
export interface RunSummary {
  published: number;
  predicted: number;
  deadLettered: number;
  /** Published, and neither predicted nor dead-lettered by the end of a run that was not stopped. */
  lost: number;
  /** Published, and not yet predicted or dead-lettered when the run was stopped (Ctrl-C): not judged lost. */
  notProcessed: number;
  duplicates: number;
  /** Inputs accounted for per second, from the first publish to the last outcome. */
  throughput: number;
  latencyMs: { p50: number; p95: number; p99: number };
  /** Instances per predict call -> number of calls. */
  batchSizes: Record<string, number>;
  /** The model's answer for the first predicted input, as published (absent if none was predicted). */
  samplePrediction?: JsonValue;
  /** Predictions the BigQuery predictions table would refuse (a twin check: the emulator writes none). */
  tableRejects?: { count: number; first?: string };
  /**
   * Outputs (predictions, dead letters) real Pub/Sub would have refused: the emulator stores
   * them, so the twin checks each against contract/pubsubLimits.ts.
   */
  pubsubLimitRejects?: { count: number; first?: string };
}

/** One distinct prediction message, as received (a redelivery of the same output is not repeated). */
export interface PredictionReceived {
  inputId: string;
  outputId: string;
  receivedAt: number;
  record?: PredictionRecord;
}

export interface CollectorOptions {
  predictionsSubscription: string;
  deadLetterSubscription: string;
  /** Called for every distinct prediction message (the failover drill tells the regions apart by it). */
  onPrediction?: (prediction: PredictionReceived) => void;
}

interface PredictionSeen {
  /** Output message ids, so a redelivery to the collector is not taken for a duplicate prediction. */
  outputIds: Set<string>;
  firstReceivedAt: number;
  eventPublishTime?: number;
  /** The worker's own publish -> prediction handed to Pub/Sub time (`timing.endToEndMs`). */
  workerEndToEndMs?: number;
  record?: PredictionRecord;
}

const READER_SETTINGS = {
  flowControl: { maxMessages: 5000, allowExcessMessages: false },
  batching: { maxMessages: 1000, maxMilliseconds: 10 },
};

export class OutcomeCollector {
  private readonly published = new Map<string, PublishedMessage>();
  private readonly idByKey = new Map<string, string>();
  private readonly predictions = new Map<string, PredictionSeen>();
  /** Dead letters (by their own message id) per input message id, or per load key until that key's id is known. */
  private readonly deadLetters = new Map<string, Map<string, DeadLetterSeen>>();
  private readonly subscriptions: Subscription[] = [];
  private firstPublishAt: number | undefined;
  private lastOutcomeAt = 0;
  private readonly errors: Error[] = [];
  private tableRejects = 0;
  private firstTableProblem: string | undefined;
  private limitRejects = 0;
  private firstLimitProblem: string | undefined;

  constructor(
    private readonly pubsub: PubSub,
    private readonly options: CollectorOptions,
  ) {}

  /** Starts reading both subscriptions. */
  start(): void {
    const predictions = this.pubsub.subscription(this.options.predictionsSubscription, READER_SETTINGS);
    const deadLetters = this.pubsub.subscription(this.options.deadLetterSubscription, READER_SETTINGS);
    predictions.on("message", (message: Message) => this.onPrediction(message));
    deadLetters.on("message", (message: Message) => this.onDeadLetter(message));
    for (const subscription of [predictions, deadLetters]) {
      subscription.on("error", (error: Error) => this.errors.push(error));
      this.subscriptions.push(subscription);
    }
  }

  /**
   * Also reads predictions from `subscription` (a chaos scenario that deletes and re-creates the
   * predictions topic: the old subscription is detached, as on Pub/Sub, so it makes a new one).
   */
  readPredictionsFrom(subscription: string): void {
    const reader = this.pubsub.subscription(subscription, READER_SETTINGS);
    reader.on("message", (message: Message) => this.onPrediction(message));
    reader.on("error", (error: Error) => this.errors.push(error));
    this.subscriptions.push(reader);
  }

  /** Registers an input the load generator published (hook it to `publishLoad`'s `onPublished`). */
  recordPublished(message: PublishedMessage): void {
    this.firstPublishAt ??= message.publishedAt;
    this.published.set(message.id, message);
    this.idByKey.set(message.key, message.id);
    // A dead letter matched only by key may have arrived before the publish call resolved.
    const early = this.deadLetters.get(message.key);
    if (early !== undefined) {
      this.deadLetters.delete(message.key);
      this.mergeDeadLetters(message.id, early);
    }
  }

  private mergeDeadLetters(inputRef: string, entries: Map<string, DeadLetterSeen>): void {
    const existing = this.deadLetters.get(inputRef);
    if (existing === undefined) return void this.deadLetters.set(inputRef, entries);
    for (const [outputId, seen] of entries) existing.set(outputId, seen);
  }

  /**
   * The emulator accepts what the service refuses (an attribute value over 1,024 bytes, more
   * than 100 attributes): every output that lands here is checked against the service's
   * limits, so a run fails when an output would have been refused in the cloud, whatever
   * path the worker published it by.
   */
  private checkLimits(topic: string, message: Message): void {
    const problems = pubsubMessageProblems({ data: message.data, attributes: message.attributes });
    if (problems.length === 0) return;
    this.limitRejects++;
    this.firstLimitProblem ??= `${topic} message ${message.id}: ${problems.join("; ")}`;
  }

  /** Outputs real Pub/Sub would have refused so far (contract/pubsubLimits.ts), and the first. */
  limitViolations(): { count: number; first?: string } {
    return {
      count: this.limitRejects,
      ...(this.firstLimitProblem === undefined ? {} : { first: this.firstLimitProblem }),
    };
  }

  private onPrediction(message: Message): void {
    message.ack();
    this.checkLimits("predictions", message);
    const inputId = message.attributes[ATTRIBUTES.inputMessageId];
    if (inputId === undefined) return;
    const now = Date.now();
    this.lastOutcomeAt = now;
    const seen = this.predictions.get(inputId);
    const parse = (): PredictionRecord | undefined => {
      try {
        return JSON.parse(message.data.toString("utf8")) as PredictionRecord;
      } catch {
        return undefined; // counted all the same; the record is informational
      }
    };
    if (seen !== undefined) {
      if (this.options.onPrediction !== undefined && !seen.outputIds.has(message.id)) {
        this.options.onPrediction({ inputId, outputId: message.id, receivedAt: now, record: parse() });
      }
      seen.outputIds.add(message.id);
      return;
    }
    const eventPublishTime = Date.parse(message.attributes[ATTRIBUTES.eventPublishTime] ?? "");
    const record = parse();
    this.options.onPrediction?.({ inputId, outputId: message.id, receivedAt: now, record });
    const problems = tableRowProblems(record);
    if (problems.length > 0) {
      this.tableRejects++;
      this.firstTableProblem ??= `input ${inputId}: ${problems.join("; ")}`;
    }
    this.predictions.set(inputId, {
      outputIds: new Set([message.id]),
      firstReceivedAt: now,
      eventPublishTime: Number.isNaN(eventPublishTime) ? undefined : eventPublishTime,
      workerEndToEndMs: Number(message.attributes[ATTRIBUTES.endToEndMs] ?? Number.NaN),
      record,
    });
  }

  private onDeadLetter(message: Message): void {
    message.ack();
    this.checkLimits("dead-letter", message);
    const attributes = { ...message.attributes };
    const byPolicy = attributes[DEAD_LETTER_DELIVERY_COUNT] !== undefined;
    const key = attributes[LOAD_KEY_ATTRIBUTE];
    // The worker names the input; Pub/Sub's policy keeps only the original attributes (our load key).
    const inputId =
      attributes[ATTRIBUTES.inputMessageId] ?? (key === undefined ? undefined : this.idByKey.get(key));
    const ref = inputId ?? key;
    if (ref === undefined) return; // not from this run
    this.lastOutcomeAt = Date.now();
    const seen: DeadLetterSeen = {
      reason: attributes[ATTRIBUTES.errorReason] ?? (byPolicy ? "max_delivery_attempts" : "unknown"),
      message: attributes[ATTRIBUTES.errorMessage],
      byPolicy,
      deliveryCount: byPolicy ? Number(attributes[DEAD_LETTER_DELIVERY_COUNT]) : undefined,
      attributes,
    };
    this.mergeDeadLetters(ref, new Map([[message.id, seen]]));
  }

  /** What happened to one input so far, or undefined if it was never published. */
  outcomeOf(inputId: string): InputOutcome | undefined {
    const published = this.published.get(inputId);
    if (published === undefined) return undefined;
    const prediction = this.predictions.get(inputId);
    const start = prediction?.eventPublishTime ?? published.publishedAt;
    return {
      published,
      predictions: prediction?.outputIds.size ?? 0,
      deadLetters: [...(this.deadLetters.get(inputId)?.values() ?? [])],
      latencyMs: prediction === undefined ? undefined : Math.max(0, prediction.firstReceivedAt - start),
      prediction: prediction?.record,
      workerEndToEndMs: Number.isFinite(prediction?.workerEndToEndMs)
        ? prediction?.workerEndToEndMs
        : undefined,
    };
  }

  /** All published inputs with their outcomes. */
  outcomes(): InputOutcome[] {
    return [...this.published.keys()].map((id) => this.outcomeOf(id)!);
  }

  counts(): OutcomeCounts {
    let predicted = 0;
    let deadLettered = 0;
    let outstanding = 0;
    let duplicates = 0;
    for (const id of this.published.keys()) {
      const predictions = this.predictions.get(id)?.outputIds.size ?? 0;
      const deadLetters = this.deadLetters.get(id)?.size ?? 0;
      if (predictions > 0) predicted++;
      else if (deadLetters > 0) deadLettered++;
      else outstanding++;
      duplicates += Math.max(0, predictions + deadLetters - 1);
    }
    return { published: this.published.size, predicted, deadLettered, outstanding, duplicates };
  }

  /** Errors the subscriptions reported (a healthy run has none). */
  subscriberErrors(): readonly Error[] {
    return this.errors;
  }

  /** Resolves when every published input is accounted for (true), or at the deadline (false). */
  async waitForAll(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && signal?.aborted !== true) {
      if (this.counts().outstanding === 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return this.counts().outstanding === 0;
  }

  /**
   * `stopped`: the run was cut short on purpose (Ctrl-C), so the inputs still outstanding
   * count as not processed rather than lost (nothing waited for them).
   */
  summary(batchSizes: Record<string, number>, options: { stopped?: boolean } = {}): RunSummary {
    const stopped = options.stopped === true;
    const counts = this.counts();
    const latencies = this.outcomes()
      .map((outcome) => outcome.latencyMs)
      .filter((ms): ms is number => ms !== undefined)
      .sort((x, y) => x - y);
    const accounted = counts.predicted + counts.deadLettered;
    const seconds = this.firstPublishAt === undefined ? 0 : (this.lastOutcomeAt - this.firstPublishAt) / 1000;
    const round = (ms: number) => Math.round(ms * 10) / 10;
    const sample = this.outcomes().find((outcome) => outcome.prediction !== undefined)?.prediction;
    return {
      published: counts.published,
      predicted: counts.predicted,
      deadLettered: counts.deadLettered,
      lost: stopped ? 0 : counts.outstanding,
      notProcessed: stopped ? counts.outstanding : 0,
      duplicates: counts.duplicates,
      throughput: seconds > 0 ? Math.round((accounted / seconds) * 10) / 10 : 0,
      latencyMs: {
        p50: round(percentile(latencies, 50)),
        p95: round(percentile(latencies, 95)),
        p99: round(percentile(latencies, 99)),
      },
      batchSizes,
      ...(sample === undefined ? {} : { samplePrediction: sample.prediction }),
      tableRejects: {
        count: this.tableRejects,
        ...(this.firstTableProblem ? { first: this.firstTableProblem } : {}),
      },
      pubsubLimitRejects: this.limitViolations(),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.subscriptions.map((subscription) => subscription.close()));
  }
}
