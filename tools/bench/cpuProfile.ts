/**
 * Where the worker's CPU goes, by pipeline stage, from a V8 CPU profile (`node --cpu-prof`).
 * Each sample is given to a stage by its call stack: the frame nearest the leaf that names a
 * stage (a worker function, a client library's module, or a protobuf message type, whose
 * generated coders are named `<Type>$encode` / `<Type>$decode`). Samples that only show
 * shared transport code (gRPC, HTTP/2, protobufjs) with no stage above them are reported apart.
 */

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  /** µs between samples. */
  timeDeltas: number[];
}

export const STAGES = [
  "pull + lease",
  "decode",
  "feature lookup",
  "feature decode",
  "build request (Value conversion, sizing)",
  "predict call",
  "read answer",
  "publish",
  "ack",
  "batching + bookkeeping",
  "logging + metrics",
  "grpc/http2 (unattributed)",
  "protobuf (unattributed)",
  "garbage collection",
  "other",
  "idle",
] as const;
export type Stage = (typeof STAGES)[number];

type Rule = [Stage, (fn: string, url: string) => boolean];

const has = (text: string, ...parts: string[]) => parts.some((part) => text.includes(part));

/** Rules that name a stage, checked on each frame from the leaf up; the first frame that matches decides. */
const STAGE_RULES: Rule[] = [
  ["decode", (fn) => fn === "decodeEvent"],
  ["feature decode", (fn) => has(fn, "decodeFeatureRow", "mergeFeatures")],
  ["read answer", (fn) => has(fn, "fromValue", "fromProtoValue", "validatePredictions", "PredictResponse$")],
  [
    "build request (Value conversion, sizing)",
    (fn, url) =>
      has(fn, "toValue", "toProtoValue", "instanceBytes", "splitBySize", "PredictRequest$") ||
      /^(Value|Struct|ListValue)\$/.test(fn) ||
      has(url, "aiplatform/build/src/helpers"),
  ],
  ["predict call", (fn, url) => has(url, "@google-cloud/aiplatform", "predictor") || fn === "predict"],
  [
    "feature lookup",
    (fn, url) => has(url, "@google-cloud/bigtable") || /^(ReadRows|RowFilter|RowSet|RowRange)/.test(fn),
  ],
  [
    "ack",
    (fn, url) =>
      has(url, "ack-queue", "ack-metadata") ||
      /^(AcknowledgeRequest|ModifyAckDeadlineRequest)\$/.test(fn) ||
      has(fn, "ackWithResponse", "modAck"),
  ],
  [
    "publish",
    (fn, url) =>
      has(url, "pubsub/build/src/publisher", "pubsub/build/src/topic", "worker/src/publisher") ||
      /^(PublishRequest|PublishResponse)\$/.test(fn),
  ],
  [
    "pull + lease",
    (fn, url) =>
      has(
        url,
        "message-stream",
        "lease-manager",
        "pubsub/build/src/subscriber",
        "pubsub/build/src/subscription",
      ) || /^(StreamingPullRequest|StreamingPullResponse|ReceivedMessage|PubsubMessage)\$/.test(fn),
  ],
  [
    "logging + metrics",
    (_fn, url) => has(url, "pino", "opentelemetry", "worker/src/stats", "worker/src/metrics"),
  ],
  ["batching + bookkeeping", (_fn, url) => has(url, "/worker/src/")],
];

/** Fallbacks when no frame names a stage. */
const FALLBACK_RULES: Rule[] = [
  ["garbage collection", (fn) => fn === "(garbage collector)"],
  ["idle", (fn) => fn === "(idle)"],
  [
    "grpc/http2 (unattributed)",
    (_fn, url) => has(url, "@grpc/grpc-js", "http2", "node:net", "internal/stream_base"),
  ],
  ["protobuf (unattributed)", (_fn, url) => has(url, "protobufjs")],
];

type Frame = CpuProfileNode["callFrame"];

/** The stage of one sample, from its stack (leaf first). */
export function stageOfStack(stack: readonly Frame[]): Stage {
  for (const { functionName, url } of stack) {
    const stage = STAGE_RULES.find(([, test]) => test(functionName, url))?.[0];
    if (stage !== undefined) return stage;
  }
  const leaf = stack[0];
  if (leaf === undefined) return "other";
  return FALLBACK_RULES.find(([, test]) => test(leaf.functionName, leaf.url))?.[0] ?? "other";
}

export interface StageBreakdown {
  /** CPU ms per message, by stage (idle left out of `totalMs`). */
  msPerMessage: Record<Stage, number>;
  /** Busy CPU ms per message, every stage but idle. */
  totalMsPerMessage: number;
  /** Share of busy samples per stage. */
  share: Record<Stage, number>;
  /** Profile time counted, ms (from the first sample in `decodeEvent`: start-up left out). */
  windowMs: number;
  messages: number;
}

/** Breaks a profile down by stage, per message; samples before the first `decodeEvent` are start-up and left out. */
export function stageBreakdown(profile: CpuProfile, messages: number): StageBreakdown {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stageOf = new Map<number, Stage>();
  const inDecode = new Map<number, boolean>();
  const classify = (id: number): Stage => {
    const cached = stageOf.get(id);
    if (cached !== undefined) return cached;
    const stack: Frame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
      stack.push(byId.get(at)!.callFrame);
    const stage = stageOfStack(stack);
    stageOf.set(id, stage);
    return stage;
  };
  const decodes = (id: number): boolean => {
    const cached = inDecode.get(id);
    if (cached !== undefined) return cached;
    let found = false;
    for (let at: number | undefined = id; at !== undefined && !found; at = parent.get(at))
      found = byId.get(at)!.callFrame.functionName === "decodeEvent";
    inDecode.set(id, found);
    return found;
  };
  const totals = Object.fromEntries(STAGES.map((stage) => [stage, 0])) as Record<Stage, number>;
  let started = false;
  let windowUs = 0;
  profile.samples.forEach((id, i) => {
    started ||= decodes(id);
    if (!started) return;
    const us = profile.timeDeltas[i + 1] ?? 0; // the time until the next sample belongs to this one
    windowUs += us;
    totals[classify(id)] += us;
  });
  const busyUs = STAGES.filter((s) => s !== "idle").reduce((sum, s) => sum + totals[s], 0);
  const perMessage = (us: number) => Math.round((us / 1000 / Math.max(messages, 1)) * 10_000) / 10_000;
  return {
    msPerMessage: Object.fromEntries(STAGES.map((s) => [s, perMessage(totals[s])])) as Record<Stage, number>,
    totalMsPerMessage: perMessage(busyUs),
    share: Object.fromEntries(
      STAGES.map((s) => [
        s,
        busyUs === 0 || s === "idle" ? 0 : Math.round((totals[s] / busyUs) * 1000) / 1000,
      ]),
    ) as Record<Stage, number>,
    windowMs: Math.round(windowUs / 1000),
    messages,
  };
}
