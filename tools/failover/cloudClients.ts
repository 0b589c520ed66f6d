/**
 * The failover's clients against Google Cloud: Pub/Sub (official client), Cloud Monitoring's
 * `projects.timeSeries.list` and Cloud Run's `workerPools.get` over REST with the Pub/Sub client's
 * own credentials (no further dependency). Any failure to reach an API is `Unavailable`, so a dry
 * run without credentials prints what it would do instead of failing.
 *
 * - Metric: pubsub.googleapis.com/subscription/oldest_unacked_message_age, GAUGE INT64 seconds,
 *   "Age (in seconds) of the oldest unacknowledged message in a subscription", sampled every 60 s
 *   (https://cloud.google.com/monitoring/api/metrics_gcp_p_z#gcp-pubsub). Pub/Sub reports it, not the
 *   consumer, so it is there when the failed region's compute is not.
 * - Worker pool: run.googleapis.com/v2 `projects/P/locations/R/workerPools/<prefix>-worker-<region>`
 *   (the name InferenceWorker gives it); `scaling.manualInstanceCount` is the GA scaling field
 *   (google/cloud/run/v2/vendor_settings.proto `WorkerPoolScaling`), which CREMA sets.
 */
import type { PubSub } from "@google-cloud/pubsub";
import { subscriptionFilter } from "../../components/observability/filters";
import type { FailoverClients, OldestUnacked, WorkerPresence } from "./clients";
import { Unavailable } from "./clients";
import { OLDEST_UNACKED_METRIC } from "./failover";
import { seekTo, subscriptionFactsOf } from "./pubsubOps";

/** How long one API call may take before the command treats the API as unreachable. */
const CALL_TIMEOUT_MS = 15_000;
/** How far back to look for the metric's newest point (it is sampled every 60 s, visible after up to ~4 min). */
const METRIC_LOOKBACK_MS = 10 * 60_000;

async function reachable<T>(what: string, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const pending = call();
  pending.catch(() => undefined); // a late failure after the timeout is reported below, not unhandled
  try {
    return await Promise.race([
      pending,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer in ${CALL_TIMEOUT_MS / 1000} s`)),
          CALL_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (error) {
    throw new Unavailable(`${what}: ${(error as Error).message.split("\n")[0]}`);
  } finally {
    clearTimeout(timer);
  }
}

interface TimeSeriesList {
  timeSeries?: { points?: { interval: { endTime: string }; value: { int64Value?: string } }[] }[];
}

interface WorkerPoolResource {
  scaling?: { manualInstanceCount?: number; minInstanceCount?: number; scalingMode?: string };
}

export interface CloudClientOptions {
  projectId: string;
  /** The worker pool's name in a region (`<prefix>-worker-<region>`). */
  workerPoolName: (region: string) => string;
  now: () => Date;
}

export function cloudFailoverClients(pubsub: PubSub, options: CloudClientOptions): FailoverClients {
  const project = options.projectId;
  // Credentials are looked up once (ADC, then the metadata server); without them every call is Unavailable.
  let credentials: Promise<unknown> | undefined;
  const authorised = <T>(what: string, call: () => Promise<T>): Promise<T> => {
    credentials ??= reachable("credentials", () => pubsub.auth.getClient());
    return credentials.then(
      () => reachable(what, call),
      (error: unknown) => Promise.reject(new Unavailable(`${what}: ${(error as Error).message}`)),
    );
  };
  return {
    target: `project ${project}`,
    subscriptionFacts: (name) =>
      authorised(`Pub/Sub getSubscription ${name}`, () => subscriptionFactsOf(pubsub, name)),
    seek: (name, time) => seekTo(pubsub, name, time),
    oldestUnacked: (name) =>
      authorised(`Cloud Monitoring ${OLDEST_UNACKED_METRIC}`, async (): Promise<OldestUnacked> => {
        const end = options.now();
        const params = new URLSearchParams({
          filter: subscriptionFilter("oldestUnackedAge", name),
          "interval.startTime": new Date(end.getTime() - METRIC_LOOKBACK_MS).toISOString(),
          "interval.endTime": end.toISOString(),
          view: "FULL",
        });
        const response = await pubsub.auth.request<TimeSeriesList>({
          url: `https://monitoring.googleapis.com/v3/projects/${project}/timeSeries?${params}`,
        });
        // Points come newest first; the age is measured at the point's end time.
        const point = response.data.timeSeries?.[0]?.points?.[0];
        if (point === undefined) throw new Error(`no point in the last ${METRIC_LOOKBACK_MS / 60_000} min`);
        const sampledAt = new Date(point.interval.endTime);
        const ageSeconds = Number(point.value.int64Value ?? 0);
        return {
          publishTime: ageSeconds > 0 ? new Date(sampledAt.getTime() - ageSeconds * 1000) : undefined,
          source: `${OLDEST_UNACKED_METRIC} = ${ageSeconds} s at ${sampledAt.toISOString()}`,
        };
      }),
    workerOn: (region) =>
      authorised(`Cloud Run workerPools.get in ${region}`, async (): Promise<WorkerPresence> => {
        const name = options.workerPoolName(region);
        const url = `https://run.googleapis.com/v2/projects/${project}/locations/${region}/workerPools/${name}`;
        try {
          const { data } = await pubsub.auth.request<WorkerPoolResource>({ url });
          const count = data.scaling?.manualInstanceCount ?? data.scaling?.minInstanceCount ?? 0;
          return { running: count > 0, evidence: `worker pool ${name} has ${count} instance(s)` };
        } catch (error) {
          if ((error as { status?: number }).status === 404) {
            return { running: false, evidence: `no worker pool ${name} in ${region}` };
          }
          throw error;
        }
      }),
  };
}
