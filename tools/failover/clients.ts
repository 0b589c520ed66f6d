/**
 * What the failover command needs from the outside world, as interfaces, so the decision
 * logic (./failover.ts) runs against fakes in tests and against Pub/Sub, Cloud Monitoring
 * and Cloud Run (./cloudClients.ts) or the Pub/Sub emulator (./emulatorClients.ts) for real.
 */

/** What a seek depends on, from the subscription's own metadata (pubsub.proto `Subscription`). */
export interface SubscriptionFacts {
  /** Short name. */
  name: string;
  /** `message_retention_duration`, seconds: how long unacked messages are kept. */
  retentionSeconds: number;
  /** `retain_acked_messages`: acked messages kept for the same time too. */
  retainAckedMessages: boolean;
  /** `topic_message_retention_duration` (output only), seconds; undefined when the topic retains nothing itself. */
  topicRetentionSeconds?: number;
}

/** The publish time of the oldest message a subscription has not acknowledged, and where that came from. */
export interface OldestUnacked {
  /** undefined: nothing unacked (the backlog is empty). */
  publishTime?: Date;
  /** Human-readable source ("Cloud Monitoring pubsub.googleapis.com/... at <time>", "--oldest-unacked"). */
  source: string;
}

/** Whether a region's worker consumes a subscription, and how that was told. */
export interface WorkerPresence {
  running: boolean;
  evidence: string;
}

export interface FailoverClients {
  /** Where the command runs ("cloud" or "emulator at <host>"), for the printed report. */
  readonly target: string;
  subscriptionFacts(subscription: string): Promise<SubscriptionFacts>;
  /** Seek (pubsub.proto `SeekRequest.time`): before `time` -> acked, after -> unacked, within retention. */
  seek(subscription: string, time: Date): Promise<void>;
  oldestUnacked(subscription: string): Promise<OldestUnacked>;
  workerOn(region: string, subscription: string): Promise<WorkerPresence>;
}

/** A client that cannot answer (no credentials, no API): the dry run says so instead of failing. */
export class Unavailable extends Error {}
