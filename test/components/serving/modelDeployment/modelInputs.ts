/** A valid set of ModelDeployment inputs, shared by the provider's tests. */
import type { ModelDeploymentInputs } from "../../../../components/serving/modelDeployment";

export const ENDPOINT = "projects/acme/locations/us-central1/endpoints/123";

export const VALID_INPUTS: ModelDeploymentInputs = {
  project: "acme",
  location: "us-central1",
  endpoint: ENDPOINT,
  displayName: "fraud-scorer",
  artifactUri: "gs://acme-models/fraud/v7",
  servingImage: "us-docker.pkg.dev/acme/serving/fraud:v7",
  predictRoute: "/predict",
  healthRoute: "/health",
  port: 8080,
  machineType: "g2-standard-8",
  acceleratorType: "NVIDIA_L4",
  acceleratorCount: 1,
  minReplicas: 2,
  maxReplicas: 8,
  dutyCycleTarget: 60,
  kmsKeyName: "projects/acme/locations/us-central1/keyRings/r/cryptoKeys/vertex",
};
