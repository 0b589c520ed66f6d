/**
 * `npm run replay-dlq` on the Pub/Sub emulator, spawned as a user runs it (with
 * PUBSUB_EMULATOR_HOST): the channel the components declare (events topic, its dead-letter topic
 * and inspection subscription, named from the stack config), dead letters of two reasons, a dry
 * run that leaves them all, then a replay of one reason that lands on the events topic and
 * leaves the other.
 */
import { execFile } from "node:child_process";
import { PubSub, type Message } from "@google-cloud/pubsub";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CHANNELS, channelNames } from "../../contract/names";
import { REPLAYED_FROM_ATTRIBUTE } from "../../tools/replay/replay";
import { REPO_ROOT, stackConfig, stackFixture } from "../helpers/stackConfig";

const config = stackConfig("staging");
const names = channelNames("si-staging", CHANNELS.events);
const host = inject("pubsubEmulatorHost");
const env = { ...process.env, PUBSUB_EMULATOR_HOST: host, METADATA_SERVER_DETECTION: "none" };
let pubsub: PubSub;

function replay(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", "scripts/replayDlq.ts", "--config", stackFixture("staging"), ...args],
      { cwd: REPO_ROOT, encoding: "utf8", timeout: 180_000, env },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

/** Everything on the subscription within `ms`, acked. */
async function drain(subscription: string, ms: number): Promise<Message[]> {
  const got: Message[] = [];
  const sub = pubsub.subscription(subscription);
  sub.on("message", (m: Message) => {
    got.push(m);
    m.ack();
  });
  await new Promise((r) => setTimeout(r, ms));
  await sub.close();
  return got;
}

beforeAll(async () => {
  pubsub = new PubSub({ projectId: config.projectId, apiEndpoint: host, emulatorMode: true });
  const [, [dlq]] = await Promise.all([
    pubsub.createTopic(names.topic),
    pubsub.createTopic(names.deadLetterTopic),
  ]);
  await Promise.all([
    dlq.createSubscription(names.deadLetterSubscription, { ackDeadlineSeconds: 60 }),
    pubsub.topic(names.topic).createSubscription("replayed-events"),
  ]);
  const letters = [
    ["a", "missing_feature"],
    ["b", "invalid_json"],
    ["c", "missing_feature"],
  ] as const;
  for (const [id, reason] of letters) {
    await dlq.publishMessage({
      json: { eventId: id, entityId: "user-1" },
      attributes: { "error.reason": reason, "error.message": `${reason} (${id})`, origin: "test" },
    });
  }
}, 120_000);

afterAll(async () => {
  await pubsub?.close();
});

describe("npm run replay-dlq on the emulator", () => {
  it("--dry-run counts by reason and leaves every letter", { timeout: 240_000 }, async () => {
    const run = await replay("--dry-run");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`looking at ${names.deadLetterSubscription} -> ${names.topic}`);
    expect(run.stdout).toMatch(/^\s+2 {2}missing_feature$/m);
    expect(run.stdout).toMatch(/^\s+1 {2}invalid_json$/m);
    expect(run.stdout).toContain("nothing was acked or published");
    // A second look sees the same three: nothing was acked.
    const again = await replay("--dry-run");
    expect(again.stdout).toContain("dead letters looked at: 3");
  });

  it(
    "--reason replays only that reason to the events topic and leaves the other",
    { timeout: 240_000 },
    async () => {
      const run = await replay("--reason", "missing_feature");
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("republished 2 of 2 (reason missing_feature) to the events topic");
      const replayed = await drain("replayed-events", 5_000);
      expect(
        replayed.map((m) => (JSON.parse(m.data.toString()) as { eventId: string }).eventId).sort(),
      ).toEqual(["a", "c"]);
      for (const m of replayed) {
        expect(m.attributes.origin).toBe("test");
        expect(m.attributes["error.reason"]).toBeUndefined();
        expect(m.attributes[REPLAYED_FROM_ATTRIBUTE]).toMatch(/\S/);
      }
      const left = await replay("--dry-run");
      expect(left.stdout).toContain("dead letters looked at: 1");
      expect(left.stdout).toMatch(/^\s+1 {2}invalid_json$/m);
    },
  );
});
