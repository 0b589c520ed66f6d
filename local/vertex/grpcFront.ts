/**
 * The stand-in's gRPC front: `google.cloud.aiplatform.v1.PredictionService` from the
 * real protos, with the rules of the endpoint type (see connectivity.ts): a PSC
 * endpoint routes on the `x-vertex-ai-endpoint-id` metadata, a peering endpoint is not
 * served over gRPC at all.
 */
import { Server, ServerCredentials, status } from "@grpc/grpc-js";
import type { sendUnaryData, ServerUnaryCall, ServiceError } from "@grpc/grpc-js";
import { ENDPOINT_ID_HEADER, type StandInConnectivity } from "./connectivity";
import type { PredictHandler } from "./httpFront";
import { predictionServiceDefinition } from "./predictionService";
import { fromProtoValue, toProtoValue } from "./protobufValue";
import type { ProtoValue } from "./protobufValue";

interface PredictRequest {
  endpoint?: string;
  instances?: ProtoValue[];
  parameters?: ProtoValue | null;
}

interface PredictResponse {
  predictions: ProtoValue[];
  deployedModelId: string;
  modelDisplayName: string;
}

const ENDPOINT_PATTERN = /^projects\/[^/]+\/locations\/[^/]+\/endpoints\/([^/]+)$/;

function grpcError(code: status, details: string): Partial<ServiceError> {
  return { code, details, message: details };
}

export interface GrpcFrontOptions {
  port: number;
  connectivity: StandInConnectivity;
  maxRequestBytes: number;
  handle: PredictHandler;
  /** Counts a call refused before the model saw it. */
  onRefused: () => void;
  /** Serve TLS with this key and certificate (the PSC front); plaintext otherwise. */
  tls?: { key: string; cert: string };
}

/**
 * Why the endpoint type refuses this call before the model sees it, or undefined.
 * The real service's exact status and text for these cases are not documented; the
 * codes chosen are non-retryable so a misrouted worker fails loudly, not slowly.
 */
export function refusal(
  connectivity: StandInConnectivity,
  endpoint: string,
  endpointId: string,
  header: string | undefined,
): { code: status; message: string } | undefined {
  if (connectivity === "peering") {
    return {
      code: status.FAILED_PRECONDITION,
      message:
        `Endpoint ${endpoint} is a private endpoint (VPC peering): it takes predictions over HTTP only, ` +
        `at its deployed model's privateEndpoints.predictHttpUri, not over gRPC`,
    };
  }
  if (connectivity === "psc" && header !== endpointId) {
    return {
      code: status.FAILED_PRECONDITION,
      message:
        header === undefined
          ? `gRPC requests to a Private Service Connect endpoint must carry the ${ENDPOINT_ID_HEADER} header`
          : `${ENDPOINT_ID_HEADER} is "${header}" but the request is for endpoint ${endpointId}`,
    };
  }
  return undefined;
}

export async function startGrpcFront(options: GrpcFrontOptions): Promise<{ port: number; stop(): void }> {
  const server = new Server({
    "grpc.max_receive_message_length": options.maxRequestBytes,
  });
  server.addService(predictionServiceDefinition(), {
    Predict: (
      call: ServerUnaryCall<PredictRequest, PredictResponse>,
      callback: sendUnaryData<PredictResponse>,
    ) => {
      const endpoint = ENDPOINT_PATTERN.exec(call.request.endpoint ?? "");
      if (endpoint === null) {
        options.onRefused();
        const got = JSON.stringify(call.request.endpoint ?? "");
        const why = `endpoint must be "projects/{project}/locations/{location}/endpoints/{endpoint}", got ${got}`;
        return callback(grpcError(status.INVALID_ARGUMENT, why));
      }
      const endpointId = endpoint[1] as string;
      const header = call.metadata.get(ENDPOINT_ID_HEADER)[0];
      const refused = refusal(
        options.connectivity,
        call.request.endpoint ?? "",
        endpointId,
        header === undefined ? undefined : String(header),
      );
      if (refused !== undefined) {
        options.onRefused();
        return callback(grpcError(refused.code, refused.message));
      }
      const instances = (call.request.instances ?? []).map(fromProtoValue);
      const parameters =
        call.request.parameters === undefined || call.request.parameters === null
          ? undefined
          : fromProtoValue(call.request.parameters);
      options
        .handle(endpointId, instances, parameters, () => call.cancelled)
        .then((outcome) => {
          if (outcome.kind === "hang" || call.cancelled) return;
          if (outcome.kind === "error") return callback(grpcError(outcome.code, outcome.message));
          callback(null, {
            predictions: outcome.predictions.map(toProtoValue),
            deployedModelId: outcome.deployedModelId,
            modelDisplayName: outcome.modelDisplayName,
          });
        })
        .catch((error: unknown) =>
          callback(grpcError(status.INTERNAL, `local model failed: ${String(error)}`)),
        );
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    const credentials =
      options.tls === undefined
        ? ServerCredentials.createInsecure()
        : ServerCredentials.createSsl(
            null,
            [{ private_key: Buffer.from(options.tls.key), cert_chain: Buffer.from(options.tls.cert) }],
            false,
          );
    server.bindAsync(`127.0.0.1:${options.port}`, credentials, (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    );
  });
  return { port, stop: () => server.forceShutdown() };
}
