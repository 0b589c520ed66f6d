/**
 * Google Cloud clients pointed at the emulators: the real client libraries, with
 * the emulator's host as their API endpoint (plaintext, no credentials).
 */
import { Bigtable } from "@google-cloud/bigtable";
import { PubSub } from "@google-cloud/pubsub";

/** Where the emulators listen, as `PUBSUB_EMULATOR_HOST` / `BIGTABLE_EMULATOR_HOST` values. */
export interface EmulatorHosts {
  pubsubHost: string;
  bigtableHost: string;
}

/** Project id used against the emulators (any id works there). */
export const LOCAL_PROJECT_ID = "local-project";
/** Bigtable instance id used against the emulator (it needs no createInstance). */
export const LOCAL_BIGTABLE_INSTANCE = "local-instance";
/** The one region name of the local platform: its input subscription is `<events>-local`. */
export const LOCAL_REGION = "local";

export interface LocalClients {
  pubsub: PubSub;
  bigtable: Bigtable;
  close(): Promise<void>;
}

export function localClients(hosts: EmulatorHosts, projectId = LOCAL_PROJECT_ID): LocalClients {
  // Without this the auth library probes the GCE metadata server before each first call.
  process.env.METADATA_SERVER_DETECTION ??= "none";
  const pubsub = new PubSub({ projectId, apiEndpoint: hosts.pubsubHost, emulatorMode: true });
  // metricsEnabled: false, or after ~60 s the client exports its own metrics to Cloud Monitoring and crashes.
  const bigtable = new Bigtable({ projectId, apiEndpoint: hosts.bigtableHost, metricsEnabled: false });
  return {
    pubsub,
    bigtable,
    close: async () => {
      await Promise.all([pubsub.close(), bigtable.close()]);
    },
  };
}
