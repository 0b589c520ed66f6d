/**
 * Starts the Pub/Sub and Bigtable emulators once for the integration project, on
 * free ports, and stops them by process group in teardown (which vitest runs even
 * when tests fail; a crash is covered by the exit hook of local/emulators).
 */
import type { TestProject } from "vitest/node" with { "resolution-mode": "import" };
import { startEmulators } from "../../local/emulators";

declare module "vitest" {
  export interface ProvidedContext {
    pubsubEmulatorHost: string;
    bigtableEmulatorHost: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const emulators = await startEmulators();
  project.provide("pubsubEmulatorHost", emulators.pubsub.host);
  project.provide("bigtableEmulatorHost", emulators.bigtable.host);
  return () => emulators.stop();
}
