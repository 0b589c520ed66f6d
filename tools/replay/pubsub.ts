/**
 * The real parts of `npm run replay-dlq`: a synchronous-pull subscriber on the dead-letter
 * inspection subscription (Pub/Sub v1 `Subscriber.Pull`, `Acknowledge`, `ModifyAckDeadline`),
 * and the events topic's publisher. With `PUBSUB_EMULATOR_HOST` set both go to the emulator,
 * as the Pub/Sub client does for its high-level API.
 */
import { credentials } from "@grpc/grpc-js";
import { PubSub, v1, type protos } from "@google-cloud/pubsub";
import type { DeadLetterSource, Republish } from "./replay";

function subscriberClient(): v1.SubscriberClient {
  const emulator = process.env.PUBSUB_EMULATOR_HOST;
  if (emulator === undefined || emulator === "") return new v1.SubscriberClient();
  const [servicePath, port] = emulator.split(":");
  return new v1.SubscriberClient({ servicePath, port: Number(port), sslCreds: credentials.createInsecure() });
}

export interface ReplayClients {
  source: DeadLetterSource;
  republish: Republish;
  close(): Promise<void>;
}

export function replayClients(
  projectId: string,
  deadLetterSubscription: string,
  eventsTopic: string,
): ReplayClients {
  const subscriber = subscriberClient();
  const subscription = `projects/${projectId}/subscriptions/${deadLetterSubscription}`;
  const pubsub = new PubSub({ projectId });
  const topic = pubsub.topic(eventsTopic);
  return {
    source: {
      async pull(max) {
        let response: protos.google.pubsub.v1.IPullResponse;
        try {
          [response] = await subscriber.pull({ subscription, maxMessages: max }, { timeout: 10_000 });
        } catch (err) {
          // A pull on an empty subscription may wait out its deadline: that is "none now".
          if ((err as { code?: number }).code === 4) return [];
          throw err;
        }
        return (response.receivedMessages ?? []).map((m) => ({
          ackId: m.ackId ?? "",
          messageId: m.message?.messageId ?? "",
          data: Buffer.from(m.message?.data ?? ""),
          attributes: { ...(m.message?.attributes ?? {}) },
        }));
      },
      async ack(ackIds) {
        if (ackIds.length > 0) await subscriber.acknowledge({ subscription, ackIds: [...ackIds] });
      },
      async release(ackIds) {
        if (ackIds.length > 0) {
          await subscriber.modifyAckDeadline({ subscription, ackIds: [...ackIds], ackDeadlineSeconds: 0 });
        }
      },
    },
    republish: (data, attributes) => topic.publishMessage({ data, attributes }),
    close: async () => {
      await Promise.all([subscriber.close(), pubsub.close()]);
    },
  };
}
