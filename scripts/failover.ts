/**
 * `npm run failover -- --stack S --to REGION [--at T] [--dry-run]`: fails the platform over to
 * another region (README "Failover runbook"); logic in tools/failover/.
 */
import { PubSub } from "@google-cloud/pubsub";
import { resolve } from "node:path";
import { clientsFor, failoverMain } from "../tools/failover/cli";

const repoRoot = resolve(__dirname, "..");
let pubsub: PubSub | undefined;
failoverMain(
  process.argv.slice(2),
  repoRoot,
  { write: (line) => console.log(line), warn: (line) => console.error(line) },
  (stack, oldestUnacked) => {
    pubsub = new PubSub({ projectId: stack.config.projectId });
    return clientsFor(stack, oldestUnacked, pubsub);
  },
).then(
  async ({ code }) => {
    await pubsub?.close();
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
