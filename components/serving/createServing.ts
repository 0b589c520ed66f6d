/**
 * What serves the model: a private Vertex AI endpoint per serving region (the worker
 * regions, plus a warm standby when configured), each encrypted with its region's key.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ModelConfig, PlatformConfig, Topology } from "../config";
import type { DataPlane } from "../dataPlane";
import { InferenceEndpoint, type InferenceEndpointArgs } from "./inferenceEndpoint";
import { SERVED_MODEL_KEYS, type ServedModel } from "./modelDeployment";

/** Region -> its endpoint. */
export type Serving = Map<string, InferenceEndpoint>;

/** The served model's fields of the validated config, and nothing the endpoint does not take. */
export function servedModelOf(model: ModelConfig): ServedModel {
  const { autoscalingMetric, requestCountTarget } = model;
  const served: ServedModel = pick(model, ALWAYS_SERVED);
  // Only when chosen: a deployment made before the option existed sees no change.
  return autoscalingMetric === "request-count"
    ? { ...served, autoscalingMetric, requestCountTarget }
    : served;
}

/** The served keys passed whatever the config says (the autoscaling choice is passed only when made). */
const ALWAYS_SERVED = SERVED_MODEL_KEYS.filter(
  (k): k is Exclude<(typeof SERVED_MODEL_KEYS)[number], "autoscalingMetric" | "requestCountTarget"> =>
    k !== "autoscalingMetric" && k !== "requestCountTarget",
);

function pick<T, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, from[k]])) as Pick<T, K>;
}

/** Declares an endpoint per serving region, named `<name>-endpoint-<region>`, children of `parent`. */
export function createServing(
  name: string,
  config: Pick<PlatformConfig, "projectId" | "endpoint" | "model">,
  topology: Topology,
  data: Pick<DataPlane, "encryption" | "network">,
  parent: pulumi.Resource,
): Serving {
  const model = servedModelOf(config.model);
  return new Map(
    topology.endpointRegions.map((region) => {
      const key = data.encryption.keyFor("aiplatform", region);
      // A warm standby is the same deployment: with no traffic its duty cycle stays low,
      // so autoscaling holds it at minReplicas, and taking over needs no redeploy.
      const args: InferenceEndpointArgs = {
        project: config.projectId,
        prefix: topology.prefix,
        region,
        connectivity: config.endpoint.connectivity,
        predictProtocol: config.endpoint.predictProtocol,
        networkName: data.network.networkName,
        privateServicesConnection: data.network.privateServicesConnection,
        pscDnsZone: data.network.vertexPscZoneName,
        pscConnectionPolicy: data.network.vertexPscPolicies[region],
        subnet: data.network.subnets[region],
        kmsKeyName: key.id,
        kmsKeyGrant: key.grant,
        model,
        labels: topology.labels,
      };
      return [region, new InferenceEndpoint(`${name}-endpoint-${region}`, args, { parent })] as const;
    }),
  );
}
