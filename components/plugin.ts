/**
 * What the package offers other Pulumi languages (PulumiPlugin.yaml). The plugin host
 * `require`s the package's `main`, which points here, and serves every component class
 * exported: the whole platform and the serving-side building blocks, whose type tokens
 * are `streaming-inference:index:<Class>` and whose Args the schema analyzer can describe.
 * TypeScript users import the full library through the package's `exports` instead.
 */
export { StreamingInferencePlatform } from "./platform";
export { Observability } from "./observability";
export { InferenceEndpoint } from "./serving";
export { InferenceWorker, WorkerImage } from "./workerDeployment";
