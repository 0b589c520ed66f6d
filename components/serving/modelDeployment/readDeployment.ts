/**
 * What `read` (pulumi refresh) and `check` need beyond the requests in spec.ts: the
 * live state of a deployment, and the peering rule that an endpoint holds one model.
 */
import {
  DUTY_CYCLE_METRIC,
  diffInputs,
  type InputProblem,
  type ModelDeploymentInputs,
  type ModelDeploymentOutputs,
} from "./spec";
import { NOT_FOUND, VertexOperationError, grpcCode } from "./operations";
import { deployedModelOf, pscAddressOf } from "./servingAddress";
import type { VertexApi } from "./vertexApi";

/**
 * A VPC-peering (private) endpoint holds one model and splits no traffic ("Only support
 * one model per private endpoint", "Private endpoints don't support traffic splitting":
 * https://cloud.google.com/vertex-ai/docs/predictions/using-private-endpoints). A change
 * that replaces the model on the same peering endpoint would deploy a second model
 * beside the first, which the API refuses, or undeploy first and serve nothing: so it is
 * refused here, at preview, with the fix.
 */
export function peeringSecondModelProblem(
  olds: Partial<ModelDeploymentInputs>,
  news: Partial<ModelDeploymentInputs>,
): InputProblem | undefined {
  if (news.connectivity !== "peering" || olds.endpoint === undefined) return undefined;
  if (olds.endpoint !== news.endpoint) return undefined;
  const { replaces } = diffInputs(olds, news);
  if (replaces.length === 0) return undefined;
  return {
    property: "endpoint",
    reason:
      `changing ${replaces.join(", ")} replaces the model, and ${news.endpoint} is a VPC-peering endpoint, which holds ` +
      "one model and splits no traffic: deploy the new model to a new endpoint (InferenceEndpoint does so when the model " +
      "changes) or use endpoint.connectivity psc",
  };
}

/** The deployment as Vertex has it now, or undefined if it is no longer deployed. */
export async function readDeployment(
  api: VertexApi,
  props: ModelDeploymentOutputs,
): Promise<ModelDeploymentOutputs | undefined> {
  let endpoint;
  try {
    endpoint = await api.getEndpoint(props.endpoint);
  } catch (err) {
    if (grpcCode(err) === NOT_FOUND) return undefined;
    throw new VertexOperationError(
      `Vertex AI GetEndpoint ${props.endpoint} failed: ${(err as Error).message}`,
      grpcCode(err),
    );
  }
  const deployed = deployedModelOf(endpoint, props.deployedModelId);
  if (deployed === undefined) return undefined;
  const resources = deployed.dedicatedResources;
  const duty = resources?.autoscalingMetricSpecs?.find((m) => m.metricName === DUTY_CYCLE_METRIC)?.target;
  const live: ModelDeploymentOutputs = {
    ...props,
    minReplicas: resources?.minReplicaCount ?? props.minReplicas,
    maxReplicas: resources?.maxReplicaCount ?? props.maxReplicas,
    dutyCycleTarget: duty ?? props.dutyCycleTarget,
  };
  if (props.connectivity === "peering") {
    live.predictHttpUri = deployed.privateEndpoints?.predictHttpUri ?? props.predictHttpUri;
  } else if (props.connectivity === "psc") {
    live.pscAddress = pscAddressOf(endpoint) ?? props.pscAddress;
  }
  return live;
}
