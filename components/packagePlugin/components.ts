/**
 * The component classes the plugin constructs for other Pulumi languages: the whole platform
 * and the serving-side building blocks, whose type tokens are `streaming-inference:index:<Class>`
 * and whose Args the schema analyzer can describe.
 */
export { StreamingInferencePlatform } from "../platform";
export { Observability } from "../observability";
export { InferenceEndpoint } from "../serving";
export { InferenceWorker, WorkerImage } from "../workerDeployment";
