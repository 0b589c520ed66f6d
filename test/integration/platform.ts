/**
 * Per-test platforms on the shared emulators: a fresh prefix (topics, subscriptions)
 * and Bigtable instance each, the Vertex stand-in, and real worker processes.
 */
import { randomUUID } from "node:crypto";
import { afterEach, inject } from "vitest";
import { provisionLocalPlatform } from "../../local/platform";
import type { LocalPlatform, LocalPlatformOptions } from "../../local/platform";

process.env.METADATA_SERVER_DETECTION = "none";

const started: LocalPlatform[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((platform) => platform.stop()));
});

/** A platform with a unique prefix, stopped (workers drained, model stopped) after the test. */
export async function testPlatform(
  options: Omit<LocalPlatformOptions, "prefix"> = {},
): Promise<LocalPlatform> {
  const id = randomUUID().slice(0, 8);
  const platform = await provisionLocalPlatform(
    { pubsubHost: inject("pubsubEmulatorHost"), bigtableHost: inject("bigtableEmulatorHost") },
    { prefix: `it-${id}`, bigtableInstance: `it-${id}`, entities: 200, ...options },
  );
  started.push(platform);
  return platform;
}

/** Input subscription settings that make redelivery quick in tests. */
export const FAST_REDELIVERY = {
  minimumBackoffSeconds: 0.1,
  maximumBackoffSeconds: 1,
  ackDeadlineSeconds: 10,
};
