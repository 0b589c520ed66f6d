/**
 * Where the worker reaches a deployed model, by endpoint type, read from the Vertex AI
 * API after a deployment (aiplatform v1):
 * - VPC peering: `DeployedModel.privateEndpoints.predictHttpUri` (`endpoint.proto`:
 *   "To send request via private service access, use predict_http_uri"), of the form
 *   `http://<endpoint id>.aiplatform.googleapis.com/v1/models/<deployed model id>:predict`.
 * - Private Service Connect with PSC automation: the IP address of the forwarding rule
 *   Vertex creates in our VPC, `Endpoint.privateServiceConnectConfig.pscAutomationConfigs[].ipAddress`
 *   (`service_networking.proto` PSCAutomationConfig; filled in once its `state` is
 *   PSC_AUTOMATION_STATE_SUCCESSFUL, which can trail the DeployModel operation).
 */
import type { protos } from "@google-cloud/aiplatform";
import { VertexOperationError } from "./operations";
import type { VertexApi } from "./vertexApi";

type IEndpoint = protos.google.cloud.aiplatform.v1.IEndpoint;
type IDeployedModel = protos.google.cloud.aiplatform.v1.IDeployedModel;

/** The endpoint types a deployment can be on (never public). */
export type DeploymentConnectivity = "psc" | "peering";

export interface ServingAddress {
  /** Peering: the deployed model's private HTTP predict URI. */
  predictHttpUri?: string;
  /** PSC: the consumer forwarding rule's IP address in our VPC. */
  pscAddress?: string;
}

export function deployedModelOf(endpoint: IEndpoint, deployedModelId: string): IDeployedModel | undefined {
  return (endpoint.deployedModels ?? []).find((m) => m.id === deployedModelId);
}

/** The PSC automation's address, `undefined` while pending; throws if the automation failed. */
export function pscAddressOf(endpoint: IEndpoint): string | undefined {
  for (const config of endpoint.privateServiceConnectConfig?.pscAutomationConfigs ?? []) {
    const state = String(config.state ?? "");
    if (state === "PSC_AUTOMATION_STATE_FAILED" || state === "2") {
      throw new VertexOperationError(
        `Vertex AI PSC automation for ${endpoint.name} in ${config.network} failed: ${config.errorMessage ?? "(no message)"}; ` +
          "check the network has a subnet in the endpoint's region and the project is in projectAllowlist",
      );
    }
    if (config.ipAddress) return config.ipAddress;
  }
  return undefined;
}

export interface AddressWait {
  timeoutMs: number;
  /** Between reads of the endpoint, ms. Default 10 s. */
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reads the serving address for the endpoint type, waiting for PSC automation up to the timeout. */
export async function servingAddress(
  api: VertexApi,
  connectivity: DeploymentConnectivity | undefined,
  endpointName: string,
  deployedModelId: string,
  deployed: IDeployedModel | undefined,
  wait: AddressWait,
): Promise<ServingAddress> {
  if (connectivity === undefined) return {};
  if (connectivity === "peering") {
    const known = deployed?.privateEndpoints?.predictHttpUri;
    if (known) return { predictHttpUri: known };
    const endpoint = await api.getEndpoint(endpointName);
    const uri = deployedModelOf(endpoint, deployedModelId)?.privateEndpoints?.predictHttpUri;
    if (!uri) {
      throw new VertexOperationError(
        `Vertex AI reported no privateEndpoints.predictHttpUri for ${deployedModelId} on ${endpointName}; ` +
          "is the endpoint created with `network` (VPC peering)?",
      );
    }
    return { predictHttpUri: uri };
  }
  const sleep = wait.sleep ?? defaultSleep;
  const pollMs = wait.pollMs ?? 10_000;
  const deadline = Date.now() + wait.timeoutMs;
  for (;;) {
    const address = pscAddressOf(await api.getEndpoint(endpointName));
    if (address) return { pscAddress: address };
    if (Date.now() + pollMs > deadline) {
      throw new VertexOperationError(
        `Vertex AI PSC automation gave ${endpointName} no address within ${Math.round(wait.timeoutMs / 1000)} s; ` +
          "check `gcloud ai endpoints describe` (privateServiceConnectConfig.pscAutomationConfigs), then `pulumi refresh` and `pulumi up`",
      );
    }
    await sleep(pollMs);
  }
}
