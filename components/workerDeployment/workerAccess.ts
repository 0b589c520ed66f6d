/**
 * What the worker's service account may do, granted on each resource it touches and
 * nothing else: consume its region's subscription, publish predictions and dead
 * letters, read features, call its endpoint, and write its own metrics and logs (and read
 * the configuration of its subscription and topics, to check they exist).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

export const WORKER_ROLES = {
  subscriber: "roles/pubsub.subscriber",
  publisher: "roles/pubsub.publisher",
  /**
   * The worker's start-up and outage checks read its subscription and topics (getMetadata:
   * pubsub.subscriptions.get, pubsub.topics.get, which subscriber and publisher lack; Pub/Sub
   * "Access control with IAM", https://cloud.google.com/pubsub/docs/access-control). Granted
   * on those three resources only; the role reads configuration, never messages.
   */
  viewer: "roles/pubsub.viewer",
  bigtableReader: "roles/bigtable.reader",
  vertexUser: "roles/aiplatform.user",
  metricWriter: "roles/monitoring.metricWriter",
  // The worker's metrics go through the Telemetry (OTLP) API, which asks for this role
  // (Cloud Monitoring "Migrate to the OTLP exporter"); metricWriter stays for the Bigtable
  // client's own metrics, written to Cloud Monitoring directly.
  telemetryMetricsWriter: "roles/telemetry.metricsWriter",
  logWriter: "roles/logging.logWriter",
} as const;

export interface WorkerAccessTargets {
  project: pulumi.Input<string>;
  /** Short name of the input subscription the worker pulls from. */
  subscription: pulumi.Input<string>;
  /** Short names of the topics the worker publishes to (predictions, dead letters). */
  publishTopics: Record<string, pulumi.Input<string>>;
  /** Bigtable instance id. */
  bigtableInstance: pulumi.Input<string>;
  /** Numeric id and region of the Vertex AI endpoint the worker calls. */
  endpointId: pulumi.Input<string>;
  endpointLocation: string;
}

/** Creates the grants; returns them so the worker pool can depend on all of them. */
export function grantWorkerAccess(
  name: string,
  member: pulumi.Input<string>,
  t: WorkerAccessTargets,
  opts: pulumi.CustomResourceOptions,
): pulumi.Resource[] {
  const grants: pulumi.Resource[] = [
    new gcp.pubsub.SubscriptionIAMMember(
      `${name}-subscriber`,
      { project: t.project, subscription: t.subscription, role: WORKER_ROLES.subscriber, member },
      opts,
    ),
    new gcp.pubsub.SubscriptionIAMMember(
      `${name}-subscription-viewer`,
      { project: t.project, subscription: t.subscription, role: WORKER_ROLES.viewer, member },
      opts,
    ),
    ...Object.entries(t.publishTopics).flatMap(([role, topic]) => [
      new gcp.pubsub.TopicIAMMember(
        `${name}-publisher-${role}`,
        { project: t.project, topic, role: WORKER_ROLES.publisher, member },
        opts,
      ),
      new gcp.pubsub.TopicIAMMember(
        `${name}-topic-viewer-${role}`,
        { project: t.project, topic, role: WORKER_ROLES.viewer, member },
        opts,
      ),
    ]),
    new gcp.bigtable.InstanceIamMember(
      `${name}-bigtable-reader`,
      { project: t.project, instance: t.bigtableInstance, role: WORKER_ROLES.bigtableReader, member },
      opts,
    ),
    // Vertex AI endpoints take IAM policies of their own: predict is granted on this
    // endpoint only, not on every endpoint of the project.
    new gcp.vertex.AiEndpointIamMember(
      `${name}-vertex-user`,
      {
        project: t.project,
        location: t.endpointLocation,
        endpoint: t.endpointId,
        role: WORKER_ROLES.vertexUser,
        member,
      },
      opts,
    ),
    // Metric and log writes have no resource to grant on: Cloud Monitoring and Cloud
    // Logging only accept these roles on the project. They allow writing, nothing else.
    new gcp.projects.IAMMember(
      `${name}-metric-writer`,
      { project: t.project, role: WORKER_ROLES.metricWriter, member },
      opts,
    ),
    new gcp.projects.IAMMember(
      `${name}-telemetry-metrics-writer`,
      { project: t.project, role: WORKER_ROLES.telemetryMetricsWriter, member },
      opts,
    ),
    new gcp.projects.IAMMember(
      `${name}-log-writer`,
      { project: t.project, role: WORKER_ROLES.logWriter, member },
      opts,
    ),
  ];
  return grants;
}
