/**
 * `npx tsx scripts/chaos/emulatorRedelivery.ts [abandoned] [maxMessages]`: reproduces, with bare
 * Pub/Sub clients and no worker, the emulator behaviour behind the SIGKILL scenario's settings.
 * A subscriber process receives `abandoned` messages without acking and is killed with SIGKILL;
 * a new subscriber with `flowControl.maxMessages` = `maxMessages` (the worker's 400) acks what it
 * gets. Real Pub/Sub re-delivers every abandoned message once its ack deadline (10 s here) passes;
 * the emulator re-delivers part of them and leaves the rest undelivered for minutes (seen with
 * maxMessages 400 and 5000 alike).
 */
import { spawn } from "node:child_process";
import { localClients, provisionMessaging, startPubSubEmulator } from "../../local";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const abandoned = Number(process.argv[2] ?? 1500);
  const maxMessages = Number(process.argv[3] ?? 400);
  const emulator = await startPubSubEmulator();
  const clients = localClients({ pubsubHost: emulator.host, bigtableHost: "127.0.0.1:1" });
  try {
    const messaging = await provisionMessaging(clients.pubsub, {
      prefix: "redelivery",
      inputSubscription: { ackDeadlineSeconds: 10, minimumBackoffSeconds: 1, maximumBackoffSeconds: 5 },
    });
    const topic = clients.pubsub.topic(messaging.events.topic);
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
           .subscription("${messaging.inputSubscription}", { flowControl: { maxMessages: ${abandoned + 1000} } })
           .on("message", () => undefined);`,
      ],
      { stdio: "inherit", detached: true },
    );
    await sleep(4000);
    process.kill(-first.pid!, "SIGKILL");
    console.log(`killed the first subscriber holding up to ${abandoned} unacked messages`);
    const seen = new Set<string>();
    const second = clients.pubsub.subscription(messaging.inputSubscription, {
      flowControl: { maxMessages, allowExcessMessages: false },
    });
    second.on("message", (message) => {
      seen.add(message.id);
      setTimeout(() => message.ack(), 100); // some work per message
    });
    for (let seconds = 10; seconds <= 60; seconds += 10) {
      await sleep(10_000);
      console.log(`after ${seconds} s: ${seen.size}/${abandoned} re-delivered to the new subscriber`);
    }
    await second.close();
  } finally {
    await clients.close();
    await emulator.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
