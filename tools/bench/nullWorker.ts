/**
 * The null worker: the benchmark's ceiling for what the worker could reach on this Pub/Sub.
 * It is configured from the same environment as the worker (`loadWorkerConfig`) and uses the
 * same clients: the subscriber with the worker's flow control, ack batching and stream count
 * (`subscriberOptions`) and the same pull backpressure, and the same output publisher (batching, delay). Per input message it
 * publishes a prediction-shaped output carrying the input id, and acks after the publish
 * resolves. No decode, no Bigtable, no model: what is left is the messaging the worker cannot
 * avoid, so worker / null worker is the worker's efficiency.
 *
 * Run as a worker process (`LocalPlatformOptions.workerEntry`): it logs "worker started" when
 * it pulls and a "drained" line on SIGTERM, as the worker does.
 */
import { PubSub, type Message } from "@google-cloud/pubsub";
import { loadWorkerConfig } from "../../worker/src/config";
import { PUBLISH_MAX_DELAY_MS } from "../../worker/src/clients";
import { predictionMessage, PubSubOutputPublisher } from "../../worker/src/publisher";
import { subscriberOptions } from "../../worker/src/worker";
import { applyPullBackpressure } from "../../worker/src/pullBackpressure";
import { createLogger } from "../../worker/src/logger";
import { LOG_MESSAGE_KEY, WORKER_LIFECYCLE, type WorkerFinalStats } from "../../contract/lifecycle";

const line = (message: string, fields: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ severity: "INFO", [LOG_MESSAGE_KEY]: message, ...fields })}\n`);

function main(): void {
  const config = loadWorkerConfig(process.env);
  const pubsub = new PubSub({ projectId: config.projectId });
  const publisher = new PubSubOutputPublisher(pubsub, {
    predictionsTopic: config.predictionsTopic,
    deadLetterTopic: config.deadLetterTopic,
    maxMessagesPerPublish: config.maxBatchSize,
    maxPublishDelayMs: PUBLISH_MAX_DELAY_MS,
  });
  const subscription = pubsub.subscription(config.subscription, subscriberOptions(config));
  let relayed = 0;
  let failed = 0;
  subscription.on("message", (message: Message) => {
    const publishTime = message.publishTime.toISOString();
    const outgoing = predictionMessage({
      record: {
        messageId: message.id,
        eventId: message.id,
        entityId: "",
        modelId: config.modelId,
        prediction: { score: 0 },
        score: 0,
        eventPublishTime: publishTime,
        predictTime: new Date().toISOString(),
        predictLatencyMs: 0,
      },
      endToEndMs: Date.now() - message.publishTime.getTime(),
    });
    publisher.publishPrediction(outgoing).then(
      () => {
        relayed++;
        message.ack();
      },
      () => {
        failed++;
        message.nack();
      },
    );
  });
  const flowControl = subscriberOptions(config).flowControl;
  applyPullBackpressure(
    subscription,
    { maxMessages: flowControl?.maxMessages ?? 0, maxBytes: flowControl?.maxBytes ?? 0 },
    createLogger({ level: config.logLevel }),
  );
  subscription.on("error", (err: Error) => line("subscription failed", { err: err.message }));
  process.once("SIGTERM", () => {
    void (async () => {
      await subscription.close().catch(() => undefined);
      await publisher.close().catch(() => undefined);
      await pubsub.close().catch(() => undefined);
      const stats: WorkerFinalStats = { batchSizes: {}, outcomes: { predicted: relayed, nacked: failed } };
      line(WORKER_LIFECYCLE.drained, { stats });
      setTimeout(() => process.exit(0), 200).unref();
    })();
  });
  line(WORKER_LIFECYCLE.started, {
    pullStreams: config.pullStreams,
    maxMessages: subscriberOptions(config).flowControl?.maxMessages,
  });
}

main();
