/**
 * Any model, through the real worker process, the emulators and the stand-in:
 * - the scorer with a declared string feature: stored string cells reach the model, and
 *   a missing required feature is dead-lettered as missing_feature, naming it;
 * - the Iris classifier: array instances, `{ label, probabilities }` passed through whole;
 * - a model answering plain lists: predictions that are not objects pass through too.
 */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_OUTPUT_SPEC,
  type FeatureSpec,
  type FeatureValue,
  type InferenceEvent,
  type JsonValue,
} from "../../contract";
import { eventStream, EXPECTED_REASON } from "../../local/load/events";
import { LOCAL_MODEL_PROFILES, type LocalModelProfile } from "../../local/modelProfiles";
import { SYNTHETIC_FEATURES, syntheticEntities } from "../../local/provision/features";
import { runLoad } from "../../local/run/runLoad";
import { classifyIris } from "../../local/vertex/iris";
import { score } from "../../local/vertex/model";
import { IRIS_FEATURES } from "../../local/vertex/iris";
import { testPlatform } from "./platform";

const PLANS = ["free", "pro", "enterprise"] as const;

/** The scorer with its 8 numbers and a categorical `plan` read from the store; entities 9, 19, ... have no plan. */
const scorerWithPlan: LocalModelProfile = {
  ...LOCAL_MODEL_PROFILES.scorer,
  modelIo: {
    features: [
      ...SYNTHETIC_FEATURES.map((name): FeatureSpec => ({
        name,
        type: "number",
        source: "either",
        required: true,
      })),
      { name: "plan", type: "string", source: "store", required: true },
    ],
    instanceShape: "object",
    output: DEFAULT_OUTPUT_SPEC,
  },
  entities: (count) =>
    syntheticEntities(count).map((entity, i) =>
      i % 10 === 9 ? entity : { ...entity, features: { ...entity.features, plan: PLANS[i % PLANS.length]! } },
    ),
};

async function run(profile: LocalModelProfile, messages: number, poisonShare = 0) {
  const platform = await testPlatform({ entities: 100, modelProfile: profile });
  const worker = platform.startWorker({ maxBatchSize: 20, maxBatchDelayMs: 50 });
  await worker.ready();
  const stream = {
    count: messages,
    entities: 100,
    runId: "model-io",
    inlineShare: 0.3,
    poisonShare,
    inlineFeature: profile.inlineFeature,
    outOfRangeFeature: profile.outOfRangeFeature,
  };
  const result = await runLoad(platform, {
    messages,
    rate: 0,
    poisonShare,
    timeoutMs: 90_000,
    runId: "model-io",
    stream,
  });
  await result.collector.close();
  expect(result.complete).toBe(true);
  const events = new Map<string, InferenceEvent>();
  for (const message of eventStream(stream))
    if (message.kind === "valid")
      events.set(message.key, JSON.parse(message.data.toString()) as InferenceEvent);
  return { platform, result, events };
}

describe("any model", () => {
  it("feeds stored string cells to the scorer and dead-letters a missing required feature as missing_feature", async () => {
    const { result, events } = await run(scorerWithPlan, 200);
    const stored = new Map(scorerWithPlan.entities(100).map((e) => [e.entityId, e.features]));
    let withPlan = 0;
    let missing = 0;
    for (const outcome of result.collector.outcomes()) {
      const event = events.get(outcome.published.key)!;
      const features = stored.get(event.entityId)!;
      if (features.plan === undefined) {
        missing++;
        expect(outcome.predictions).toBe(0);
        expect(outcome.deadLetters).toHaveLength(1);
        expect(outcome.deadLetters[0]).toMatchObject({
          reason: "missing_feature",
          message: expect.stringContaining('required feature "plan" (string) is missing'),
        });
        continue;
      }
      withPlan++;
      expect(outcome.deadLetters).toEqual([]);
      const merged: Record<string, FeatureValue> = {
        ...features,
        ...(event.features as Record<string, number>),
      };
      // The score the model gave is the score of the features with the plan: the string reached it.
      expect(outcome.prediction!.score).toBeCloseTo(score(merged), 12);
      const { plan: _plan, ...withoutPlan } = merged;
      expect(outcome.prediction!.score).not.toBeCloseTo(score(withoutPlan), 12);
      expect(outcome.prediction!.prediction).toEqual({ score: outcome.prediction!.score });
    }
    expect(withPlan).toBeGreaterThan(100);
    expect(missing).toBeGreaterThan(5);
    expect(result.collector.summary({}).lost).toBe(0);
  });

  it("runs the Iris classifier on array instances and passes { label, probabilities } through whole", async () => {
    const iris = LOCAL_MODEL_PROFILES.iris;
    const { platform, result, events } = await run(iris, 150, 0.2);
    const stored = new Map(iris.entities(100).map((e) => [e.entityId, e.features]));
    for (const outcome of result.collector.outcomes()) {
      const kind = outcome.published.kind;
      if (kind !== "valid") {
        expect(outcome.deadLetters[0]?.reason, kind).toBe(EXPECTED_REASON[kind]);
        continue;
      }
      const event = events.get(outcome.published.key)!;
      const features = { ...stored.get(event.entityId), ...(event.features as Record<string, number>) };
      const expected = classifyIris(IRIS_FEATURES.map((name) => features[name] as number));
      expect(outcome.prediction).toMatchObject({
        prediction: { label: expected.label, probabilities: expected.probabilities },
        label: expected.label,
        modelId: iris.modelId,
      });
      expect(outcome.prediction).not.toHaveProperty("score");
    }
    expect(result.collector.summary({})).toMatchObject({
      lost: 0,
      samplePrediction: { label: expect.any(String) },
    });
    expect(platform.model.stats().rejected).toBeGreaterThan(0); // the out-of-range poison reached the model
  });

  it("passes predictions that are not objects through, and sends the declared parameters", async () => {
    const lists: LocalModelProfile = {
      ...LOCAL_MODEL_PROFILES.iris,
      modelIo: {
        ...LOCAL_MODEL_PROFILES.iris.modelIo,
        parameters: { topK: 2 },
        output: { scoreField: "1", scoreMin: 0, scoreMax: 1 },
      },
    };
    const platform = await testPlatform({
      entities: 100,
      modelProfile: lists,
      model: {
        // Like sklearn's predict_proba in a prebuilt container: a bare list per instance.
        model: {
          deployedModelId: "lists",
          displayName: "lists",
          predict: (instances: readonly JsonValue[]) => instances.map(() => [0.25, 0.75]),
        },
      },
    });
    const worker = platform.startWorker({ maxBatchSize: 20, maxBatchDelayMs: 50 });
    await worker.ready();
    const result = await runLoad(platform, {
      messages: 40,
      rate: 0,
      poisonShare: 0,
      timeoutMs: 60_000,
      runId: "lists",
    });
    await result.collector.close();
    expect(result.collector.summary({})).toMatchObject({ predicted: 40, lost: 0 });
    for (const outcome of result.collector.outcomes())
      expect(outcome.prediction).toMatchObject({ prediction: [0.25, 0.75], score: 0.75 });
    expect(platform.model.stats().lastParameters).toEqual({ topK: 2 });
  });
});
