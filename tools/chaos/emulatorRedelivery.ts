/**
 * `npx tsx tools/chaos/emulatorRedelivery.ts [abandoned] [maxMessages] [policies] [watchSeconds]`:
 * documents, with bare Pub/Sub clients and no worker, the emulator defect that the SIGKILL chaos
 * scenario steers around. A subscriber process receives `abandoned` messages without acking and
 * is killed with SIGKILL; a new subscriber (flow control `maxMessages`) counts what comes back.
 * `policies` is the input subscription's: `dlq+retry` (as deployed; default), `retry`, `dlq` or
 * `none`. Real Pub/Sub redelivers every abandoned message once its ack deadline (10 s here)
 * passes, whatever the policies. Measured on the emulator with this script (docs/performance.md): with a retry policy part
 * of them never come back (900 of 1,500 with `retry`, 1,027 with `dlq+retry`, watched 300 s);
 * all come back with `none`. The chaos scenario therefore runs without a retry policy.
 * This is a record of the emulator's behaviour, apart from the worker's verdict: it exits 0.
 */
import { spawn } from "node:child_process";
import { localClients, startPubSubEmulator } from "../../local";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const POLICIES = ["dlq+retry", "retry", "dlq", "none"] as const;

async function main(): Promise<void> {
  const abandoned = Number(process.argv[2] ?? 1500);
  const maxMessages = Number(process.argv[3] ?? 400);
  const policies = (process.argv[4] ?? "dlq+retry") as (typeof POLICIES)[number];
  const watchSeconds = Number(process.argv[5] ?? 60);
  if (!POLICIES.includes(policies)) throw new Error(`policies must be one of ${POLICIES.join(", ")}`);
  const emulator = await startPubSubEmulator();
  const clients = localClients({ pubsubHost: emulator.host, bigtableHost: "127.0.0.1:1" });
  try {
    const [topic] = await clients.pubsub.createTopic("redelivery-events");
    const [deadLetters] = await clients.pubsub.createTopic("redelivery-dlq");
    const name = "redelivery-input";
    const [deadLettered] = await deadLetters.createSubscription("redelivery-dlq-read");
    await topic.createSubscription(name, {
      ackDeadlineSeconds: 10,
      deadLetterPolicy: policies.includes("dlq")
        ? { deadLetterTopic: deadLetters.name, maxDeliveryAttempts: 5 }
        : undefined,
      retryPolicy: policies.includes("retry")
        ? { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 5 } }
        : undefined,
    });
    await Promise.all(
      Array.from({ length: abandoned }, (_, i) => topic.publishMessage({ data: Buffer.from(String(i)) })),
    );
    // The first subscriber takes everything (large flow control) and never acks.
    const first = spawn(
      process.execPath,
      [
        "-e",
        `const { PubSub } = require("@google-cloud/pubsub");
         new PubSub({ projectId: "local-project", apiEndpoint: "${emulator.host}", emulatorMode: true })
           .subscription("${name}", { flowControl: { maxMessages: ${abandoned + 1000} } })
           .on("message", () => undefined);`,
      ],
      { stdio: "inherit", detached: true },
    );
    await sleep(4000);
    process.kill(-first.pid!, "SIGKILL");
    console.log(`subscription policies: ${policies}; killed the first subscriber holding up to ${abandoned}`);
    const seen = new Set<string>();
    const second = clients.pubsub.subscription(name, {
      flowControl: { maxMessages, allowExcessMessages: false },
    });
    second.on("message", (message) => {
      seen.add(message.id);
      setTimeout(() => message.ack(), 100); // some work per message
    });
    const dead = new Set<string>();
    deadLettered.on("message", (message) => {
      dead.add(message.data.toString());
      message.ack();
    });
    for (let seconds = 10; seconds <= watchSeconds; seconds += 10) {
      await sleep(10_000);
      console.log(
        `after ${seconds} s: ${seen.size}/${abandoned} re-delivered to the new subscriber, ${dead.size} dead-lettered`,
      );
    }
    await Promise.all([second.close(), deadLettered.close()]);
  } finally {
    await clients.close();
    await emulator.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
