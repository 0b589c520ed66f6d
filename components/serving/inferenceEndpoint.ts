/**
 * `InferenceEndpoint`: a private Vertex AI endpoint in one region (Private Service
 * Connect, or VPC peering over private services access; never public), encrypted with
 * that region's key, the user's model deployed to it on GPUs with autoscaling, and the
 * address and protocol the worker must use to reach it (see servingAddress.ts).
 *
 * Model roll-outs: on PSC the new model is deployed beside the old one on the same
 * endpoint, takes the traffic, and the old one is undeployed. A peering endpoint holds
 * one model and splits no traffic, so its id carries the model's revision: a new model
 * creates a new endpoint beside the old one (Pulumi creates replacements first), the
 * worker's env switches to the new address, and the old endpoint is deleted last. The
 * worker always has a serving model.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { endpointTakesGrpc } from "../../contract/gcp";
import { ENDPOINT_DEFAULTS, EndpointConnectivity } from "./defaults";
import { shadowWarning } from "../network/dnsShadowing";
import { endpointIdFor } from "./endpointId";
import { newModelDeployment } from "./modelDeployment";
import {
  MODEL_REVISION_KEYS,
  pscHttpPredictUrl,
  PredictProtocol,
  modelRevision,
  pscGrpcAddress,
  type ModelRevisionInputs,
} from "./endpointAccess";
import { pscDnsRecord } from "./pscDnsRecord";
import type { ServedModel, VertexApiFactory } from "./modelDeployment";

/** How a private endpoint is reached (defined in ./defaults.ts, beside its default). */
export { EndpointConnectivity };

export interface InferenceEndpointArgs {
  /** Project of the endpoint. Required (the endpoint id and the peering network are built from it). */
  project: pulumi.Input<string>;
  /** Name prefix; the endpoint's display name is `<prefix>-<region>`. Required. */
  prefix: string;
  /** Region of the endpoint. Required. */
  region: string;
  /**
   * `peering`: the endpoint is reached over the VPC's private services access (a peering to
   * Google's network); `psc`: through a Private Service Connect endpoint created in the VPC.
   * Never public. Defaults to `psc` (Google's recommended private option: gRPC or HTTP,
   * traffic split, many models; peering takes HTTP only and one model).
   */
  connectivity?: EndpointConnectivity;
  /**
   * How the worker calls the model on a PSC endpoint: `http` (JSON at `/v1/<endpoint>:predict`,
   * the default) or `grpc` (with `x-vertex-ai-endpoint-id`). Peering takes HTTP only: `grpc`
   * with peering is refused.
   */
  predictProtocol?: PredictProtocol;
  /** Name of the VPC the endpoint is reached from. Required. */
  networkName: pulumi.Input<string>;
  /** The private services access connection (peering only); the endpoint waits for it. */
  privateServicesConnection?: pulumi.Resource;
  /**
   * PSC: the private `prediction.p.vertexai.goog.` zone on the VPC (`PrivateNetwork.vertexPscZoneName`).
   * The endpoint's A record `ENDPOINT_ID-REGION-PROJECT_NUMBER` goes there, following the PSC
   * address; the worker calls that name, the one the endpoint's certificate covers. Required with psc.
   */
  pscDnsZone?: pulumi.Input<string>;
  /** PSC: the region's `gcp-vertexai` service connection policy; the endpoint and the deployment wait for it. */
  pscConnectionPolicy?: pulumi.Resource;
  /** The region's subnet (PSC automation takes the address there); the deployment waits for it. */
  subnet?: pulumi.Resource;
  /** Cloud KMS key in `region` for the endpoint and the uploaded model. Required. */
  kmsKeyName: pulumi.Input<string>;
  /** The grant of `kmsKeyName` to Vertex AI's service agent; the endpoint waits for it. */
  kmsKeyGrant?: pulumi.Resource;
  /** The model and its machines. Required. */
  model: ServedModel;
  /** Service account the serving container runs as. Defaults to Vertex AI's. */
  servingServiceAccount?: pulumi.Input<string>;
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Wait for each Vertex deployment operation at most this long, seconds. Defaults to 3600. */
  operationTimeoutSeconds?: pulumi.Input<number>;
}

export class InferenceEndpoint extends pulumi.ComponentResource {
  /** Numeric endpoint id (what the worker's `SI_VERTEX_ENDPOINT_ID` takes). */
  declare public readonly endpointId: pulumi.Output<string>;
  /** Endpoint resource name, `projects/<p>/locations/<region>/endpoints/<id>`. */
  declare public readonly endpointName: pulumi.Output<string>;
  declare public readonly region: pulumi.Output<string>;
  /** Id of the deployed model (its key in the endpoint's traffic split). */
  declare public readonly deployedModelId: pulumi.Output<string>;
  /** The uploaded model's resource name. */
  declare public readonly modelName: pulumi.Output<string>;
  /** How the worker calls the model: `http` (peering; PSC by default) or `grpc` (PSC, if asked). */
  declare public readonly predictProtocol: pulumi.Output<PredictProtocol>;
  /**
   * Where the worker calls the model: `<PSC address>:443` for gRPC, or the deployed
   * model's `predictHttpUri` for HTTP. Taken from the deployment's outputs.
   */
  declare public readonly predictAddress: pulumi.Output<string>;

  constructor(
    name: string,
    args: InferenceEndpointArgs,
    opts?: pulumi.ComponentResourceOptions,
    /** For tests: the Vertex API the deployment's provider uses. */
    vertexApi?: VertexApiFactory,
  ) {
    super("streaming-inference:index:InferenceEndpoint", name, {}, opts);
    const connectivity = args.connectivity ?? ENDPOINT_DEFAULTS.connectivity;
    const protocol = args.predictProtocol ?? ENDPOINT_DEFAULTS.predictProtocol;
    if (protocol === PredictProtocol.Grpc && !endpointTakesGrpc(connectivity)) {
      throw new Error(
        `InferenceEndpoint ${name}: predictProtocol grpc needs connectivity psc; a peering endpoint takes HTTP only`,
      );
    }
    // Peering: one model per endpoint, so a new model gets a new endpoint (see the file comment).
    const revision =
      connectivity === "peering"
        ? pulumi
            .output(Object.fromEntries(MODEL_REVISION_KEYS.map((key) => [key, args.model[key]])))
            .apply((model) => modelRevision(model as ModelRevisionInputs))
        : undefined;
    const endpointName =
      revision === undefined
        ? pulumi.output(endpointIdFor(args.prefix, args.region))
        : revision.apply((r) => endpointIdFor(args.prefix, `${args.region}/${r}`));
    const networking =
      connectivity === "peering"
        ? {
            // Peering wants the project *number* in the network path.
            network: pulumi.interpolate`projects/${
              gcp.organizations.getProjectOutput({ projectId: args.project }, { parent: this }).number
            }/global/networks/${args.networkName}`,
          }
        : {
            privateServiceConnectConfig: {
              enablePrivateServiceConnect: true,
              projectAllowlists: [args.project],
              pscAutomationConfigs: [
                {
                  projectId: args.project,
                  network: pulumi.interpolate`projects/${args.project}/global/networks/${args.networkName}`,
                },
              ],
            },
          };
    if (connectivity === "psc" && args.pscDnsZone === undefined) {
      throw new Error(
        `InferenceEndpoint ${name}: connectivity psc needs pscDnsZone (PrivateNetwork with vertexPrivateServiceConnect: ` +
          "its vertexPscZoneName): the worker calls the endpoint by the name its certificate covers",
      );
    }
    const waitFor = [
      args.kmsKeyGrant,
      connectivity === "peering" ? args.privateServicesConnection : args.pscConnectionPolicy,
    ];

    const endpoint = new gcp.vertex.AiEndpoint(
      `${name}-endpoint`,
      {
        project: args.project,
        location: args.region,
        region: args.region,
        name: endpointName,
        displayName: `${args.prefix}-${args.region}`,
        description: "Streaming-inference model endpoint (private).",
        encryptionSpec: { kmsKeyName: args.kmsKeyName },
        labels: args.labels,
        ...networking,
        // trafficSplit is left to the model deployment, which owns it.
      },
      { parent: this, dependsOn: waitFor.filter((r): r is pulumi.Resource => r !== undefined) },
    );

    const deployment = newModelDeployment(
      `${name}-model`,
      {
        project: args.project,
        location: args.region,
        endpoint: endpoint.id,
        ...args.model,
        kmsKeyName: args.kmsKeyName,
        serviceAccount: args.servingServiceAccount,
        labels: args.labels,
        operationTimeoutSeconds: args.operationTimeoutSeconds,
        connectivity,
      },
      // PSC automation takes the forwarding rule's address in the region's subnet, under the policy.
      { parent: this, dependsOn: [args.subnet, args.pscConnectionPolicy].filter((r) => r !== undefined) },
      vertexApi,
    );
    const address =
      connectivity === "peering"
        ? deployment.predictHttpUri.apply((uri) => {
            const address = required(uri, "predictHttpUri", name);
            const warning = shadowWarning(`InferenceEndpoint ${name}`, address);
            if (warning) void pulumi.log.warn(warning, this);
            return address;
          })
        : pulumi
            .all([
              pscDnsRecord(
                `${name}-psc-dns`,
                {
                  project: args.project,
                  region: args.region,
                  zone: args.pscDnsZone as pulumi.Input<string>,
                  endpointId: endpoint.name,
                  address: deployment.pscAddress.apply((ip) => required(ip, "pscAddress", name)),
                },
                this,
              ).name,
              endpoint.id,
            ])
            .apply(([fqdn, endpointName]) => {
              const host = fqdn.replace(/\.$/, "");
              return protocol === PredictProtocol.Grpc
                ? pscGrpcAddress(host)
                : pscHttpPredictUrl(host, endpointName);
            });

    this.endpointId = endpoint.name;
    this.endpointName = endpoint.id;
    this.region = pulumi.output(args.region);
    this.deployedModelId = deployment.deployedModelId;
    this.modelName = deployment.model;
    this.predictProtocol = pulumi.output<PredictProtocol>(protocol);
    this.predictAddress = address;
    this.registerOutputs({
      predictProtocol: this.predictProtocol,
      predictAddress: this.predictAddress,
      endpointId: this.endpointId,
      endpointName: this.endpointName,
      region: this.region,
      deployedModelId: this.deployedModelId,
      modelName: this.modelName,
    });
  }
}

/** A serving address the deployment must have reported; its absence is a provider bug or a pending automation. */
function required(value: string | undefined, what: string, name: string): string {
  if (!value) {
    throw new Error(
      `InferenceEndpoint ${name}: the model deployment reported no ${what}; run \`pulumi refresh\`, then \`pulumi up\``,
    );
  }
  return value;
}
