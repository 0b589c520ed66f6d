/**
 * The Google services that write CMEK-encrypted data for the platform, where their
 * keys live, and which service agent must be allowed to use each key.
 */

/** A service that encrypts platform data with a customer-managed key. */
export type EncryptedService = "pubsub" | "bigtable" | "bigquery" | "aiplatform" | "artifactregistry" | "run";

export const ENCRYPTED_SERVICES: readonly EncryptedService[] = [
  "pubsub",
  "bigtable",
  "bigquery",
  "aiplatform",
  "artifactregistry",
  "run",
];

/**
 * How a service's agent (the Google-managed account that uses the key) is found.
 * - `identity`: created/read with `gcp.projects.ServiceIdentity` (generateServiceIdentity). With a
 *   `domain`, the e-mail falls back to `service-<project number>@<domain>` when the API returns
 *   none, which the provider documents it may ("This API may not return the service identity's
 *   details, even if the relevant Google API is configured for service identities":
 *   GoogleCloudPlatform/magic-modules, mmv1/third_party/terraform/services/resourcemanager/
 *   resource_project_service_identity.go). A grant to an empty member would fail or grant nothing.
 * - `derived`: exists once the API is enabled; its e-mail is built from the project number.
 * - `bigquery`: BigQuery's encryption account, from `gcp.bigquery.getDefaultServiceAccount`.
 */
export type AgentSource =
  | { kind: "identity"; api: string; domain?: string }
  | { kind: "derived"; domain: string }
  | { kind: "bigquery" };

export const AGENT_SOURCES: Record<EncryptedService, AgentSource> = {
  pubsub: { kind: "identity", api: "pubsub.googleapis.com" },
  bigtable: { kind: "identity", api: "bigtableadmin.googleapis.com" },
  aiplatform: { kind: "identity", api: "aiplatform.googleapis.com" },
  // https://cloud.google.com/artifact-registry/docs/cmek: service-PROJECT_NUMBER@gcp-sa-artifactregistry.iam.gserviceaccount.com
  artifactregistry: {
    kind: "identity",
    api: "artifactregistry.googleapis.com",
    domain: "gcp-sa-artifactregistry.iam.gserviceaccount.com",
  },
  // Cloud Run's agent is provisioned with the API; generateServiceIdentity is not documented for it.
  run: { kind: "derived", domain: "serverless-robot-prod.iam.gserviceaccount.com" },
  bigquery: { kind: "bigquery" },
};
