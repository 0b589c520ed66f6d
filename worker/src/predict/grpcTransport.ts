/**
 * Predict over gRPC with the unmodified Vertex client (`PredictionService.Predict`),
 * to the regional API host or a Private Service Connect address.
 */
// Deep imports: the package index loads every v1 and v1beta1 client (~90 MB RSS, ~1 s);
// the prediction client and the value helpers alone cost ~40 MB.
import type { protos } from "@google-cloud/aiplatform";
import * as helpers from "@google-cloud/aiplatform/build/src/helpers";
import { googleProtobufValueToObject } from "@google-cloud/aiplatform/build/src/value-converter";
import { PredictionServiceClient } from "@google-cloud/aiplatform/build/src/v1/prediction_service_client";
import * as grpc from "@grpc/grpc-js";
import { checkPscRoute, type PscRoute } from "./pscTls";
import type { JsonValue, PredictTransport } from "./transport";

/**
 * Metadata a PSC endpoint needs on every gRPC request to find the endpoint
 * ("For gRPC requests, the x-vertex-ai-endpoint-id header must be included",
 * https://cloud.google.com/vertex-ai/docs/predictions/private-service-connect).
 */
export const ENDPOINT_ID_HEADER = "x-vertex-ai-endpoint-id";

export interface GrpcTransportOptions {
  projectId: string;
  location: string;
  endpointId: string;
  /** host and port of the gRPC front: the regional API, a PSC address, or a loopback stand-in. */
  host: string;
  port: number;
  /** Plaintext (loopback stand-in only); TLS otherwise. */
  plaintext: boolean;
  /** TLS and name resolution for a PSC endpoint's name (`pscTls.ts`), on this client's channel only. */
  psc?: PscRoute;
  /** Call credentials (the OAuth token) on a PSC channel; none for the local twin. */
  authorize?: () => Promise<Record<string, string>>;
}

export type PscClientOptions = {
  apiEndpoint: string;
  port: number;
  sslCreds: grpc.ChannelCredentials;
  "grpc.ssl_target_name_override"?: string;
  "grpc.default_authority"?: string;
};

/** Channel options that carry a PSC route: the credentials and, locally, where the name is dialled. */
export function pscClientOptions(
  host: string,
  port: number,
  route: PscRoute,
  authorize: (() => Promise<Record<string, string>>) | undefined,
): PscClientOptions {
  checkPscRoute(host, route);
  const channel = grpc.credentials.createSsl(
    route.tls === "pinned" ? Buffer.from(route.certificate ?? "") : null,
    null,
    null,
    route.tls === "unverified" ? { rejectUnauthorized: false } : {},
  );
  // Custom sslCreds replace google-gax's own credentials (grpc.js `_getCredentials`), token
  // included: the token goes back on as call credentials.
  const sslCreds =
    authorize === undefined
      ? channel
      : grpc.credentials.combineChannelCredentials(
          channel,
          grpc.credentials.createFromMetadataGenerator((_params, callback) => {
            authorize().then(
              (headers) => {
                const metadata = new grpc.Metadata();
                for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
                callback(null, metadata);
              },
              (error: unknown) => callback(error as Error),
            );
          }),
        );
  if (route.localOnlyAddress === undefined) return { apiEndpoint: host, port, sslCreds };
  // Local twin: dial the loopback address, but check the certificate against (and send
  // :authority for) the PSC name, as a resolver answering that name would.
  return {
    apiEndpoint: route.localOnlyAddress,
    port,
    sslCreds,
    "grpc.ssl_target_name_override": host,
    "grpc.default_authority": host,
  };
}

// toValue converts any JSON value (google-gax value_converter), despite its `object` parameter type.
type IValue = protos.google.protobuf.IValue;
/** The converter is typed with protobufjs' own IValue; the wire shape is the same. */
type ConverterValue = Parameters<typeof googleProtobufValueToObject>[0];

export class GrpcPredictTransport implements PredictTransport {
  private readonly client: PredictionServiceClient;
  private readonly endpoint: string;

  constructor(private readonly options: GrpcTransportOptions) {
    this.client = new PredictionServiceClient(
      options.plaintext
        ? { apiEndpoint: options.host, port: options.port, sslCreds: grpc.credentials.createInsecure() }
        : options.psc !== undefined
          ? pscClientOptions(options.host, options.port, options.psc, options.authorize)
          : { apiEndpoint: options.host, port: options.port },
    );
    this.endpoint = this.client.projectLocationEndpointPath(
      options.projectId,
      options.location,
      options.endpointId,
    );
  }

  async predict(
    instances: readonly JsonValue[],
    parameters: JsonValue | undefined,
    timeoutMs: number,
  ): Promise<JsonValue[]> {
    const [response] = await this.client.predict(
      {
        endpoint: this.endpoint,
        instances: instances.map((instance) => helpers.toValue(instance as object) as IValue),
        ...(parameters === undefined ? {} : { parameters: helpers.toValue(parameters as object) as IValue }),
      },
      // The client never retries Predict (non-idempotent); the worker does, so no gax retry here.
      // otherArgs.headers become gRPC metadata (google-gax normalCalls/timeout.js metadataBuilder).
      { timeout: timeoutMs, otherArgs: { headers: { [ENDPOINT_ID_HEADER]: this.options.endpointId } } },
    );
    // Not helpers.fromValue: it throws on anything but a struct, and a prediction may be any
    // JSON value (a number, a list of class scores, a string).
    return (response.predictions ?? []).map(
      (value) => (googleProtobufValueToObject(value as ConverterValue) ?? null) as JsonValue,
    );
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
