/**
 * `Observability`: how the platform is watched. A Cloud Monitoring service with the
 * freshness and correctness SLOs, multi-window burn-rate alerts on both, threshold
 * alerts on backlog, dead letters, the model endpoint and the workers, e-mail
 * notification channels, and a dashboard. The worker's metric descriptors are declared
 * first, and everything that names a metric waits for them (docs/observability.md).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { MODEL_DEFAULTS } from "../serving/defaults";
import {
  backlogPolicy,
  burnRatePolicy,
  deadLetterPolicy,
  vertexErrorRatePolicy,
  vertexLatencyPolicy,
  workerDownPolicy,
  dependencyOutagePolicy,
  type AlertPolicySpec,
  type AlertThresholds,
} from "./alertPolicies";
import { BURN_RATE_WINDOWS } from "./burnRate";
import { dashboardJson } from "./dashboard";
import { metricDescriptorArgs } from "./metricDescriptors";
import { sloSpecs, type SloGoals } from "./slos";
import { WORKER_METRICS } from "../../contract";

/** Goals, thresholds and who is told. Same shape as the stack config's `alerts`. */
export interface AlertSettings extends SloGoals, AlertThresholds {
  /** E-mail addresses notified by every alert. At least one. */
  notificationEmails: string[];
}

export interface ObservabilityArgs {
  /** Project that holds the monitored resources and the monitoring objects. Required. */
  project: pulumi.Input<string>;
  /** Name prefix (service id, display names). Required. */
  prefix: string;
  /** SLO goals, alert thresholds and notification e-mails. Required. */
  alerts: AlertSettings;
  /** Region -> input subscription id, for every region (active and standby). Required. */
  inputSubscriptions: Record<string, pulumi.Input<string>>;
  /** Regions whose subscription is consumed now; backlog alerts of the others are disabled. Required. */
  consumingRegions: string[];
  /** Label -> dead-letter subscription id; each gets a "not empty" condition. Required. */
  deadLetterSubscriptions: Record<string, pulumi.Input<string>>;
  /** Region -> Vertex endpoint id of every serving endpoint. Required. */
  endpoints: Record<string, pulumi.Input<string>>;
  /** Region -> worker pool name of every running worker. Required. */
  workerPools: Record<string, pulumi.Input<string>>;
  /** GPU duty-cycle target of autoscaling, percent (a line on the dashboard). Defaults to 60. */
  dutyCycleTarget?: number;
  /** Rolling SLO period, days. Defaults to 28. */
  sloPeriodDays?: number;
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Resolves every value of a record of Inputs. */
function resolved(record: Record<string, pulumi.Input<string>>): pulumi.Output<Record<string, string>> {
  return pulumi.output(record) as pulumi.Output<Record<string, string>>;
}

function channelKey(email: string): string {
  return email.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

export class Observability extends pulumi.ComponentResource {
  /** SLO resource names, by key (`freshness`, `correctness`). */
  declare public readonly sloNames: pulumi.Output<Record<string, string>>;
  /** Alert policy resource names, by key. */
  declare public readonly alertPolicyNames: pulumi.Output<Record<string, string>>;
  /** Link to the dashboard in the Cloud console. */
  declare public readonly dashboardUrl: pulumi.Output<string>;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("streaming-inference:index:Observability", name, {}, opts);
    const { project, prefix, alerts } = args;
    if (alerts.notificationEmails.length === 0) {
      throw new Error(
        "Observability: alerts.notificationEmails is empty; list at least one address, or every alert fires unheard",
      );
    }
    const parent = { parent: this };

    // Before anything names them: on a fresh project the worker has not exported yet.
    const descriptors = Object.entries(WORKER_METRICS).map(
      ([key, metric]) =>
        new gcp.monitoring.MetricDescriptor(
          `${name}-metric-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
          { project, ...metricDescriptorArgs(metric) },
          parent,
        ),
    );
    const afterDescriptors = { parent: this, dependsOn: descriptors };

    const channels = alerts.notificationEmails.map(
      (email) =>
        new gcp.monitoring.NotificationChannel(
          `${name}-email-${channelKey(email)}`,
          { project, type: "email", displayName: `${prefix}: ${email}`, labels: { email_address: email } },
          parent,
        ),
    );

    const service = new gcp.monitoring.GenericService(
      `${name}-service`,
      {
        project,
        serviceId: `${prefix}-streaming-inference`,
        displayName: `${prefix} streaming inference`,
        userLabels: args.labels,
      },
      parent,
    );

    const slos = sloSpecs(alerts).map((spec) => ({
      spec,
      slo: new gcp.monitoring.Slo(
        `${name}-slo-${spec.key}`,
        {
          project,
          service: service.serviceId,
          sloId: spec.key,
          displayName: spec.title,
          goal: spec.goal,
          rollingPeriodDays: args.sloPeriodDays ?? 28,
          requestBasedSli: spec.sli,
          userLabels: args.labels,
        },
        afterDescriptors,
      ),
    }));

    const policies: { spec: pulumi.Output<AlertPolicySpec>; key: string }[] = [];
    for (const { spec, slo } of slos) {
      for (const window of BURN_RATE_WINDOWS) {
        const policy = slo.name.apply((sloName) =>
          burnRatePolicy({ key: spec.key, title: spec.name, name: sloName }, window, alerts.runbookBaseUrl),
        );
        policies.push({ key: `${spec.key}-${window.name}-burn`, spec: policy });
      }
    }
    for (const [region, subscription] of Object.entries(args.inputSubscriptions)) {
      const consuming = args.consumingRegions.includes(region);
      policies.push({
        key: `backlog-${region}`,
        spec: pulumi.output(subscription).apply((id) => backlogPolicy(region, id, consuming, alerts)),
      });
    }
    policies.push(
      {
        key: "dead-letters",
        spec: resolved(args.deadLetterSubscriptions).apply((d) => deadLetterPolicy(d, alerts.runbookBaseUrl)),
      },
      {
        key: "vertex-error-rate",
        spec: resolved(args.endpoints).apply((e) => vertexErrorRatePolicy(e, alerts)),
      },
      { key: "vertex-latency", spec: resolved(args.endpoints).apply((e) => vertexLatencyPolicy(e, alerts)) },
      {
        key: "worker-down",
        spec: resolved(args.workerPools).apply((w) => workerDownPolicy(w, alerts.runbookBaseUrl)),
      },
      { key: "dependency-outage", spec: pulumi.output(dependencyOutagePolicy(alerts.runbookBaseUrl)) },
    );

    const notificationChannels = channels.map((c) => c.name);
    const created = policies.map(
      ({ key, spec }) =>
        [
          key,
          new gcp.monitoring.AlertPolicy(
            `${name}-alert-${key}`,
            {
              project,
              displayName: spec.apply((s) => `${prefix}: ${s.displayName}`),
              severity: spec.severity,
              combiner: spec.combiner,
              enabled: spec.enabled,
              conditions: spec.conditions,
              documentation: { content: spec.documentation, mimeType: "text/markdown" },
              notificationChannels,
              alertStrategy: { autoClose: "1800s" },
              userLabels: args.labels,
            },
            afterDescriptors,
          ),
        ] as const,
    );

    const dashboard = new gcp.monitoring.Dashboard(
      `${name}-dashboard`,
      {
        project,
        dashboardJson: pulumi
          .all([
            resolved(args.inputSubscriptions),
            resolved(args.deadLetterSubscriptions),
            resolved(args.endpoints),
            resolved(args.workerPools),
          ])
          .apply(([inputSubscriptions, deadLetterSubscriptions, endpoints, workerPools]) =>
            dashboardJson({
              displayName: `${prefix} streaming inference`,
              freshnessThresholdSeconds: alerts.freshnessThresholdSeconds,
              vertexLatencyP99Ms: alerts.vertexLatencyP99Ms,
              dutyCycleTarget: args.dutyCycleTarget ?? MODEL_DEFAULTS.dutyCycleTarget,
              inputSubscriptions,
              deadLetterSubscriptions,
              endpoints,
              workerPools,
            }),
          ),
      },
      afterDescriptors,
    );

    this.sloNames = pulumi
      .all(slos.map(({ spec, slo }) => slo.name.apply((n) => [spec.key, n] as const)))
      .apply((entries) => Object.fromEntries(entries));
    this.alertPolicyNames = pulumi
      .all(created.map(([key, policy]) => policy.name.apply((n) => [key, n] as const)))
      .apply((entries) => Object.fromEntries(entries));
    this.dashboardUrl = pulumi.interpolate`https://console.cloud.google.com/monitoring/dashboards/custom/${dashboard.id.apply(
      (id) => id.split("/").pop() ?? id,
    )}?project=${project}`;
    this.registerOutputs({
      sloNames: this.sloNames,
      alertPolicyNames: this.alertPolicyNames,
      dashboardUrl: this.dashboardUrl,
    });
  }
}
