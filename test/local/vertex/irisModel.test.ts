/**
 * The stand-in Iris classifier, through the unmodified Vertex client over real gRPC:
 * array instances in, `{ label, probabilities }` out, INVALID_ARGUMENT naming a bad one.
 */
import { v1 } from "@google-cloud/aiplatform";
import { googleProtobufValueToObject } from "@google-cloud/aiplatform/build/src/value-converter";
import * as helpers from "@google-cloud/aiplatform/build/src/helpers";
import { credentials, status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  classifyIris,
  IRIS_CENTROIDS,
  IRIS_CLASSES,
  startVertexStandIn,
  type VertexStandIn,
} from "../../../local/vertex";

process.env.METADATA_SERVER_DETECTION = "none";

describe("classifyIris", () => {
  it("labels the classic examples and each class mean right, with probabilities summing to 1", () => {
    expect(classifyIris([5.1, 3.5, 1.4, 0.2]).label).toBe("setosa");
    expect(classifyIris([5.7, 2.8, 4.1, 1.3]).label).toBe("versicolor");
    expect(classifyIris([6.3, 3.3, 6.0, 2.5]).label).toBe("virginica");
    for (const label of IRIS_CLASSES) {
      const { label: got, probabilities } = classifyIris(IRIS_CENTROIDS[label]);
      expect(got).toBe(label);
      const total = Object.values(probabilities).reduce((sum, p) => sum + p, 0);
      expect(total).toBeCloseTo(1, 5);
    }
  });
});

describe("the stand-in serving the iris model", () => {
  let standIn: VertexStandIn;
  let client: v1.PredictionServiceClient;
  let endpoint: string;

  beforeAll(async () => {
    standIn = await startVertexStandIn({ endpointId: "iris", model: "iris" });
    client = new v1.PredictionServiceClient({
      apiEndpoint: "127.0.0.1",
      port: standIn.port,
      sslCreds: credentials.createInsecure(),
    });
    endpoint = client.projectLocationEndpointPath("p", "local", "iris");
  });
  afterAll(async () => {
    await client.close();
    await standIn.stop();
  });

  const predict = async (instances: unknown[]) => {
    const [response] = await client.predict({
      endpoint,
      instances: instances.map((i) => helpers.toValue(i as object)!),
    });
    return {
      deployedModelId: response.deployedModelId,
      predictions: (response.predictions ?? []).map((p) => googleProtobufValueToObject(p as never)),
    };
  };

  it("answers { label, probabilities } per array instance, in order", async () => {
    const { deployedModelId, predictions } = await predict([
      [5.1, 3.5, 1.4, 0.2],
      [6.3, 3.3, 6.0, 2.5],
    ]);
    expect(deployedModelId).toBe("local-iris-v1");
    expect(predictions).toEqual([classifyIris([5.1, 3.5, 1.4, 0.2]), classifyIris([6.3, 3.3, 6.0, 2.5])]);
  });

  it.each([
    [{ entityId: "u", features: { a: 1 } }, "instance[0]: expected an array of 4 numbers"],
    [[5.1, 3.5, 1.4], "instance[0]: expected an array of 4 numbers"],
    [[5.1, 3.5, "long", 0.2], 'instance[0]: petal_length_cm (column 2) must be a finite number, got "long"'],
    [[5.1, 3.5, 5e6, 0.2], "instance[0]: petal_length_cm = 5000000 is out of range"],
  ])("rejects %j as INVALID_ARGUMENT, naming the instance", async (instance, message) => {
    await expect(predict([instance])).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringContaining(message),
    });
  });
});
