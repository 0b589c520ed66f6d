/**
 * The platform's guardrails as plain policy objects: the pack entry (`policies/index.ts`)
 * hands them to `new PolicyPack`; the offline runner (`offline.ts`) calls them directly,
 * so `npm run plan` and the tests check a stack without the Pulumi CLI.
 */
export { PACK_NAME, platformPolicies } from "./guardrails";
export { runPolicies, type PlannedResource, type RunOptions, type Violation } from "./offline";
export { formatViolations, hasMandatoryViolations } from "./report";
export { GCP, MODEL_DEPLOYMENT } from "./resources";
