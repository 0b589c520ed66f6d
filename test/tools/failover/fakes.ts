/** Fakes of the failover's clients, recording what the command did. */
import { join } from "node:path";
import type {
  FailoverClients,
  OldestUnacked,
  SubscriptionFacts,
  WorkerPresence,
} from "../../../tools/failover/clients";
import { Unavailable } from "../../../tools/failover/clients";
import { readFailoverStack } from "../../../tools/failover/stackFile";
import type { FailoverStack } from "../../../tools/failover/stackFile";

export const REPO_ROOT = join(__dirname, "..", "..", "..");

export interface FakeState {
  seeks: { subscription: string; time: Date }[];
  /** Subscriptions with a worker. */
  workers: Set<string>;
  oldest?: OldestUnacked | Error;
  retentionSeconds: number;
  topicRetentionSeconds?: number;
  presenceUnavailable?: boolean;
}

export function fakeClients(state: FakeState): FailoverClients {
  return {
    target: "fake",
    subscriptionFacts: async (name): Promise<SubscriptionFacts> => ({
      name,
      retentionSeconds: state.retentionSeconds,
      retainAckedMessages: false,
      topicRetentionSeconds: state.topicRetentionSeconds,
    }),
    seek: async (subscription, time) => {
      state.seeks.push({ subscription, time });
    },
    oldestUnacked: async () => {
      if (state.oldest instanceof Error) throw state.oldest;
      return state.oldest ?? { source: "fake" };
    },
    workerOn: async (_region, subscription): Promise<WorkerPresence> => {
      if (state.presenceUnavailable) throw new Unavailable("no access");
      return { running: state.workers.has(subscription), evidence: "fake" };
    },
  };
}

/** The prod stack (regions us-central1, us-east1; active us-central1), with config overrides. */
export function prodStack(overrides: Partial<FailoverStack["config"]> = {}): FailoverStack {
  const stack = readFailoverStack("prod", join(REPO_ROOT, "Pulumi.prod.yaml"));
  const config = { ...stack.config, ...overrides };
  const regions = config.regions;
  return {
    ...stack,
    config,
    topology: {
      ...stack.topology,
      activeRegion: config.activeRegion,
      regions,
      workerRegions: config.failoverMode === "active-active" ? [...regions] : [config.activeRegion],
    },
  };
}
