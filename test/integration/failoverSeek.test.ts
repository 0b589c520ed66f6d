/**
 * The failover command's Pub/Sub side on the emulator: two regions' subscriptions on one events
 * topic as MessageChannel declares them; the seek of the standby subscription to a time delivers
 * exactly the events published after it; a standby subscription with a local worker process is refused.
 */
import { spawn } from "node:child_process";
import { describe, expect, inject, it } from "vitest";
import type { Message } from "@google-cloud/pubsub";
import { WORKER_ENV } from "../../contract";
import { emulatorFailoverClients } from "../../tools/failover/emulatorClients";
import { FailoverRefused, runFailover } from "../../tools/failover/failover";
import { prodStack } from "../tools/failover/fakes";
import { testPlatform } from "./platform";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function setUp() {
  const platform = await testPlatform({ region: "us-central1", otherRegions: ["us-east1"] });
  const prefix = platform.messaging.events.topic.replace(/-events$/, "");
  const base = prodStack();
  const stack = { ...base, topology: { ...base.topology, prefix } };
  const host = inject("pubsubEmulatorHost");
  return { platform, stack, host, clients: emulatorFailoverClients(platform.clients.pubsub, host) };
}

async function publish(
  platform: Awaited<ReturnType<typeof testPlatform>>,
  tag: string,
  n: number,
): Promise<void> {
  const topic = platform.clients.pubsub.topic(platform.messaging.events.topic);
  await Promise.all(
    Array.from({ length: n }, (_, i) => topic.publishMessage({ data: Buffer.from(`${tag}-${i}`) })),
  );
}

async function receiveAll(
  platform: Awaited<ReturnType<typeof testPlatform>>,
  subscription: string,
  quietMs: number,
) {
  const seen: string[] = [];
  const sub = platform.clients.pubsub.subscription(subscription);
  let last = Date.now();
  sub.on("message", (m: Message) => {
    seen.push(m.data.toString());
    last = Date.now();
    m.ack();
  });
  while (Date.now() - last < quietMs) await sleep(200);
  await sub.close();
  return seen;
}

describe("failover seek on the Pub/Sub emulator", () => {
  it("the standby subscription, sought to T, delivers exactly the events published after T", async () => {
    const { platform, stack, clients } = await setUp();
    await publish(platform, "before", 40);
    await sleep(1500);
    const at = new Date();
    await sleep(1500);
    await publish(platform, "after", 30);
    const facts = await clients.subscriptionFacts(platform.messaging.inputSubscriptions["us-east1"]!);
    expect(facts.retentionSeconds).toBe(platform.messaging.inputSettings.messageRetentionSeconds);

    const written: string[] = [];
    const result = await runFailover(
      stack,
      { to: "us-east1", at, marginSeconds: 0, dryRun: false, now: new Date() },
      clients,
      (region) => void written.push(region),
    );
    expect(result.seeks[0]).toMatchObject({
      subscription: platform.messaging.inputSubscriptions["us-east1"],
      done: true,
    });
    expect(written).toEqual(["us-east1"]);
    const seen = await receiveAll(platform, platform.messaging.inputSubscriptions["us-east1"]!, 3000);
    expect(seen.filter((s) => s.startsWith("before"))).toEqual([]);
    expect(new Set(seen.filter((s) => s.startsWith("after"))).size).toBe(30);
  });

  it("refuses a standby subscription that a local worker process consumes, and seeks nothing", async () => {
    const { platform, stack, host, clients } = await setUp();
    const subscription = platform.messaging.inputSubscriptions["us-east1"]!;
    // Any process with the worker's environment counts, as the check reads the process table.
    const stand = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], {
      env: { ...process.env, PUBSUB_EMULATOR_HOST: host, [WORKER_ENV.subscription]: subscription },
      stdio: "ignore",
    });
    try {
      await sleep(300);
      await publish(platform, "x", 5);
      const run = runFailover(
        stack,
        { to: "us-east1", at: new Date(), marginSeconds: 0, dryRun: false, now: new Date() },
        clients,
        () => {
          throw new Error("must not write");
        },
      );
      await expect(run).rejects.toThrow(FailoverRefused);
      await expect(run).rejects.toThrow(new RegExp(`local process ${stand.pid}`));
      // Not sought: the standby subscription still holds what was published.
      expect((await receiveAll(platform, subscription, 2000)).length).toBe(5);
    } finally {
      stand.kill("SIGKILL");
    }
  });
});
