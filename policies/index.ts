/**
 * The policy pack entry: `pulumi preview|up --policy-pack policies` loads this file.
 * Constructing the pack starts the analyzer's gRPC server, so nothing else imports it:
 * tests and the offline plan use `./src` directly.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, platformPolicies } from "./src/guardrails";

new PolicyPack(PACK_NAME, {
  description:
    "Guardrails of the streaming-inference platform: CMEK everywhere with keys in the right place, private " +
    "networking only, dead letters and bounded retention on Pub/Sub, approved GPU machines, least-privilege " +
    "IAM, cost labels, deletion protection in prod, and the alerts and SLOs that watch the stream.",
  enforcementLevel: "mandatory",
  policies: platformPolicies,
});
