/**
 * How the platform is watched: SLOs, alerts and the dashboard over the data plane's
 * subscriptions, the endpoints and the worker pools.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, Topology } from "../config";
import type { DataPlane } from "../dataPlane";
import type { DeadLetterTopic } from "../messaging";
import { Observability } from "./observability";

export interface WatchedServing {
  /** Region -> numeric Vertex AI endpoint id. */
  endpointIds: Record<string, pulumi.Input<string>>;
  /** Region -> worker pool name. */
  workerPools: Record<string, pulumi.Input<string>>;
  /** The events channel's dead-letter topic. */
  eventsDeadLetter: DeadLetterTopic;
}

/** Declares the `Observability` component `<name>-observability`, a child of `parent`. */
export function createObservability(
  name: string,
  config: Pick<PlatformConfig, "projectId" | "alerts" | "model">,
  topology: Topology,
  data: Pick<DataPlane, "events" | "analytics">,
  serving: WatchedServing,
  parent: pulumi.Resource,
): Observability {
  return new Observability(
    `${name}-observability`,
    {
      project: config.projectId,
      prefix: topology.prefix,
      alerts: config.alerts,
      inputSubscriptions: data.events.subscriptionNames,
      consumingRegions: topology.workerRegions,
      deadLetterSubscriptions: {
        events: serving.eventsDeadLetter.subscriptionName,
        analytics: data.analytics.deadLetter.subscriptionName,
      },
      endpoints: serving.endpointIds,
      workerPools: serving.workerPools,
      dutyCycleTarget: config.model.dutyCycleTarget,
      labels: topology.labels,
    },
    { parent },
  );
}
