/**
 * Ready means able: a worker whose feature table, output topic or model does not answer is
 * not ready, says which dependency and why (log and /readyz detail), and pulls nothing; it
 * keeps checking and becomes ready once the dependency answers.
 */
import { createServer } from "node:net";
import type { Message } from "@google-cloud/pubsub";
import { describe, expect, it } from "vitest";
import { eventStream, publishLoad, vertexSettingsFor } from "../../local";
import type { WorkerProcess } from "../../local";
import { testPlatform } from "./platform";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function readyz(worker: WorkerProcess): Promise<{ status: number; body: Record<string, unknown> }> {
  const line = await worker.process.waitForOutput(/health endpoints on port \d+/, 60_000);
  const port = /port (\d+)/.exec(line)![1];
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface NotAnswering {
  dependency: string;
  reason: string;
}

async function waitNotAnswering(worker: WorkerProcess, dependency: string): Promise<NotAnswering[]> {
  // The first round of checks takes up to their deadline (4 s); poll until it reported.
  for (let i = 0; i < 60; i++) {
    const { status, body } = await readyz(worker);
    expect(status).toBe(503);
    const failing = (body.detail as { notAnswering?: NotAnswering[] }).notAnswering ?? [];
    if (failing.some((f) => f.dependency === dependency)) return failing;
    await sleep(500);
  }
  throw new Error(`the worker never named ${dependency} as not answering`);
}

describe("a worker whose dependencies do not answer", () => {
  it("is not ready, names the dependency, pulls nothing, and becomes ready when the topic appears", async () => {
    const platform = await testPlatform({ entities: 20 });
    const messages = 20;
    await publishLoad(
      platform.clients.pubsub,
      eventStream({ count: messages, entities: 20, runId: "ready" }),
      {
        topic: platform.messaging.events.topic,
        rate: 0,
        onPublished: () => undefined,
      },
    );
    const missingTopic = `${platform.messaging.predictions.topic}-not-yet`;
    // The model as the platform wires it (the PSC name over TLS, by default), at a port nothing listens on.
    const route = vertexSettingsFor(platform.connectivity, platform.predictProtocol, platform.model);
    const unreachable = new URL(route.vertexPredictUrl!);
    unreachable.port = String(await closedPort());
    const workers = {
      feature_store: platform.startWorker({ bigtableTable: "no-such-table" }),
      predictions_topic: platform.startWorker({ predictionsTopic: missingTopic }),
      model: platform.startWorker({ vertexPredictUrl: unreachable.toString() }),
    };
    for (const [dependency, worker] of Object.entries(workers)) {
      const failing = await waitNotAnswering(worker, dependency);
      // Only that one: the rest of its dependencies answer.
      expect(failing.map((f) => f.dependency)).toEqual([dependency]);
      expect(worker.process.recentOutput()).toContain(`not ready: ${dependency} does not answer`);
    }
    const reasons = Object.fromEntries(
      await Promise.all(
        Object.entries(workers).map(async ([dependency, worker]) => [
          dependency,
          (await waitNotAnswering(worker, dependency))[0]!.reason,
        ]),
      ),
    );
    expect(reasons.feature_store).toMatch(/NOT_FOUND.*no-such-table/);
    expect(reasons.predictions_topic).toMatch(/NOT_FOUND/);
    expect(reasons.model).toMatch(/ECONNREFUSED/);

    // Pulled nothing: every message is still first delivered now, at attempt 1.
    const attempts: number[] = [];
    const reader = platform.clients.pubsub.subscription(platform.messaging.inputSubscription, {
      flowControl: { maxMessages: 100 },
    });
    reader.on("message", (message: Message) => attempts.push(message.deliveryAttempt));
    for (let i = 0; i < 100 && attempts.length < messages; i++) await sleep(100);
    await reader.close(); // nacks them: back on the subscription
    expect(attempts).toHaveLength(messages);
    expect(attempts.every((attempt) => attempt === 1)).toBe(true);

    // Keeps checking: once the topic exists, the worker is ready and pulls.
    await platform.clients.pubsub.createTopic(missingTopic);
    await workers.predictions_topic.ready(60_000);
    const { status } = await readyz(workers.predictions_topic);
    expect(status).toBe(200);
    // The others are still not ready.
    expect((await readyz(workers.model)).status).toBe(503);
    expect((await readyz(workers.feature_store)).status).toBe(503);
  });
});
