/**
 * `npx tsx tools/chaos/emulatorDeadStreams.ts [killed] [streams] [messages] [watchSeconds] [end] [idleSeconds] [killedMaxMessages] [liveStreams]`:
 * bare Pub/Sub clients, no worker. `killed` subscriber processes, one after the other, open
 * `streams` streaming pulls each with the worker's settings (flow control 400, allowExcessMessages
 * false, minAckDeadline 10 s, ack batching 10 ms), ack whatever they get, and end idle, holding
 * nothing (`killedMaxMessages`, default 400, is their flow control): `end` = `kill` (SIGKILL, default) or `close` (subscription.close(), the control).
 * `idleSeconds` (default 0) after the last one ended, a live subscriber (same settings, but
 * `liveStreams` streams, default `streams`) opens and `messages` are published at once; it counts
 * when each first arrives and its delivery attempt. The subscription is the SIGKILL scenario's:
 * 10 s ack deadline, no retry policy, dead-letter policy of 100 attempts.
 * Real Pub/Sub delivers only to open streams: all arrive at attempt 1 within a second, whatever
 * subscribers died before. This records what the emulator does; it exits 0 either way.
 */
import { spawn } from "node:child_process";
import { localClients, startPubSubEmulator } from "../../local";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const SUBSCRIBER_OPTIONS = (streams: number, maxMessages: number) => `{
  flowControl: { maxMessages: ${maxMessages}, allowExcessMessages: false },
  batching: { maxMilliseconds: 10 },
  streamingOptions: { maxStreams: ${streams} },
  minAckDeadline: Duration.from({ seconds: 10 }),
}`;

async function main(): Promise<void> {
  const killed = Number(process.argv[2] ?? 3);
  const streams = Number(process.argv[3] ?? 2);
  const messages = Number(process.argv[4] ?? 500);
  const watchSeconds = Number(process.argv[5] ?? 120);
  const end = process.argv[6] ?? "kill";
  const idleSeconds = Number(process.argv[7] ?? 0);
  const killedMaxMessages = Number(process.argv[8] ?? 400);
  const liveStreams = Number(process.argv[9] ?? streams);
  const emulator = await startPubSubEmulator();
  const clients = localClients({ pubsubHost: emulator.host, bigtableHost: "127.0.0.1:1" });
  try {
    const [topic] = await clients.pubsub.createTopic("dead-streams-events");
    const [deadLetters] = await clients.pubsub.createTopic("dead-streams-dlq");
    await deadLetters.createSubscription("dead-streams-dlq-read");
    const name = "dead-streams-input";
    await topic.createSubscription(name, {
      ackDeadlineSeconds: 10,
      deadLetterPolicy: { deadLetterTopic: deadLetters.name, maxDeliveryAttempts: 100 },
    });
    for (let i = 0; i < killed; i++) {
      const child = spawn(
        process.execPath,
        [
          "-e",
          `const { PubSub, Duration } = require("@google-cloud/pubsub");
           const s = new PubSub({ projectId: "local-project", apiEndpoint: "${emulator.host}", emulatorMode: true })
             .subscription("${name}", ${SUBSCRIBER_OPTIONS(streams, killedMaxMessages)});
           s.on("message", (m) => m.ack());
           process.on("SIGTERM", () => s.close().then(() => process.exit(0)));`,
        ],
        { stdio: "inherit", detached: true },
      );
      await sleep(3000); // streams open
      process.kill(-child.pid!, end === "kill" ? "SIGKILL" : "SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
    await sleep(idleSeconds * 1000);
    console.log(
      `${killed} subscriber(s) with ${streams} stream(s) each ended by ${end}; ${idleSeconds} s later a live subscriber opens`,
    );
    const { Duration } = await import("@google-cloud/pubsub");
    const live = clients.pubsub.subscription(name, {
      flowControl: { maxMessages: 400, allowExcessMessages: false },
      batching: { maxMilliseconds: 10 },
      streamingOptions: { maxStreams: liveStreams },
      minAckDeadline: Duration.from({ seconds: 10 }),
    });
    const firstAt = new Map<string, number>();
    const attempts = new Map<number, number>();
    let started = 0;
    live.on("message", (message) => {
      if (!firstAt.has(message.id)) {
        firstAt.set(message.id, Date.now() - started);
        const attempt = message.deliveryAttempt ?? 0;
        attempts.set(attempt, (attempts.get(attempt) ?? 0) + 1);
      }
      message.ack();
    });
    await sleep(3000);
    started = Date.now();
    await Promise.all(
      Array.from({ length: messages }, (_, i) => topic.publishMessage({ data: Buffer.from(String(i)) })),
    );
    for (let seconds = 10; seconds <= watchSeconds && firstAt.size < messages; seconds += 10) {
      await sleep(10_000);
      console.log(`after ${seconds} s: ${firstAt.size}/${messages} received by the live subscriber`);
    }
    const sortedAttempts = [...attempts.entries()].sort((a, b) => a[0] - b[0]);
    console.log(`first-receipt delivery attempts: ${sortedAttempts.map(([a, n]) => `${a}:${n}`).join(" ")}`);
    await live.close();
  } finally {
    await clients.close();
    await emulator.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
