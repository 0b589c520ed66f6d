/**
 * The failover's clients against the Pub/Sub emulator (`PUBSUB_EMULATOR_HOST`). The emulator
 * has no Cloud Monitoring, so the failed region's oldest unacked message comes from the caller
 * (`--oldest-unacked`; the drill passes the oldest published event that has no prediction, from its
 * own records). Not a pull without ack: the messages a SIGKILLed worker held stay leased to its dead
 * streams, and the emulator keeps dealing new ones to them (FACTS.md), so a peek would miss the
 * oldest ones and put the replay point too late. Workers: the process table (./localWorkers.ts).
 */
import type { PubSub } from "@google-cloud/pubsub";
import type { FailoverClients } from "./clients";
import { Unavailable } from "./clients";
import { localWorkerPresence } from "./localWorkers";
import { seekTo, subscriptionFactsOf } from "./pubsubOps";

export function emulatorFailoverClients(pubsub: PubSub, emulatorHost: string): FailoverClients {
  return {
    target: `the Pub/Sub emulator at ${emulatorHost}`,
    subscriptionFacts: (name) => subscriptionFactsOf(pubsub, name),
    seek: (name, time) => seekTo(pubsub, name, time),
    oldestUnacked: () =>
      Promise.reject(new Unavailable("the emulator has no Cloud Monitoring; give --oldest-unacked or --at")),
    workerOn: async (_region, subscription) => localWorkerPresence(emulatorHost, subscription),
  };
}
