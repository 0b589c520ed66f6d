/**
 * What the served model takes and answers, declared once for the stack config, the
 * worker's environment and the local platform:
 * - the features (name, type, where each comes from, required or a default),
 * - the shape of one instance in the predict request (`object` or `array`) and the
 *   request's `parameters`,
 * - an optional output spec: which field of each prediction is a score or a label.
 *
 * Nothing declared is today's contract (`DEFAULT_MODEL_IO`): every stored feature column
 * and every inline feature is a number, instances are `{ entityId, features }`, and each
 * prediction must be `{ score: number in [0, 1] }`.
 */
import { z } from "zod";
import type { JsonObject, JsonValue } from "./json";

export const FEATURE_TYPES = ["number", "string", "boolean", "number[]", "string[]"] as const;
export type FeatureType = (typeof FEATURE_TYPES)[number];
export type FeatureValue = number | string | boolean | number[] | string[];

/** `event`: only the event's inline `features`; `store`: only the Bigtable row; `either`: the event wins. */
export const FEATURE_SOURCES = ["event", "store", "either"] as const;
export type FeatureSourceKind = (typeof FEATURE_SOURCES)[number];

/** `object`: `{ entityId, features: { name: value } }`; `array`: the values in declared order. */
export const INSTANCE_SHAPES = ["object", "array"] as const;
export type InstanceShape = (typeof INSTANCE_SHAPES)[number];

export interface FeatureSpec {
  /** Bigtable column qualifier, key in the event's `features` and in an object instance. */
  name: string;
  type: FeatureType;
  source: FeatureSourceKind;
  /** Missing and required: the event is dead-lettered (`missing_feature`). */
  required: boolean;
  /** Used when the feature is missing (never together with `required`). */
  default?: FeatureValue;
}

/**
 * What the worker does when a prediction would be made with features missing that the store
 * should have supplied (the entity has no stored row, and the event carries only some features
 * inline): `refuse` dead-letters it (`missing_feature`); `flag` predicts it and marks the
 * prediction (`degraded` field and attribute, counted under the outcome reason `degraded`).
 */
export const MISSING_FEATURE_POLICIES = ["refuse", "flag"] as const;
export type MissingFeaturePolicy = (typeof MISSING_FEATURE_POLICIES)[number];
/** The safe one: nothing is predicted on less than the model expects unless the config says so. */
export const DEFAULT_MISSING_FEATURE_POLICY: MissingFeaturePolicy = "refuse";

/** The value of a flagged prediction's `degraded` field and attribute. */
export const DEGRADED_MISSING_STORED_ROW = "missing_stored_row";

export interface OutputSpec {
  /** Dot path of a number in each prediction (`score`, `result.score`, `scores.0`): metrics, BigQuery `score`. */
  scoreField?: string;
  /** Bounds the score must lie within (inclusive), when given. */
  scoreMin?: number;
  scoreMax?: number;
  /** Dot path of a string or number in each prediction: BigQuery `label`. */
  labelField?: string;
}

export interface ModelIoSpec {
  /** Declared features, in instance order; undefined = today's open set of numeric features. */
  features?: FeatureSpec[];
  instanceShape: InstanceShape;
  /** Sent as the predict request's `parameters` when set. */
  parameters?: JsonObject;
  /** Checks on each prediction; `{}` passes any JSON value through. */
  output: OutputSpec;
  /** Features the store should have supplied are missing: refuse (default) or predict and flag. */
  missingFeatures?: MissingFeaturePolicy;
}

/** Today's contract: the answer is `{ score: number in [0, 1] }`. */
export const DEFAULT_OUTPUT_SPEC: OutputSpec = { scoreField: "score", scoreMin: 0, scoreMax: 1 };
export const DEFAULT_MODEL_IO: ModelIoSpec = {
  instanceShape: "object",
  output: DEFAULT_OUTPUT_SPEC,
  missingFeatures: "refuse",
};

// ---- Values of a declared type ----

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** True if `value` has the declared type (finite numbers only). */
export function hasFeatureType(type: FeatureType, value: unknown): value is FeatureValue {
  switch (type) {
    case "number":
      return isFiniteNumber(value);
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "number[]":
      return Array.isArray(value) && value.every(isFiniteNumber);
    case "string[]":
      return Array.isArray(value) && value.every((v) => typeof v === "string");
  }
}

/** A short description of a value for an error message: its JSON type and (truncated) JSON. */
export function describeValue(value: unknown): string {
  // JSON has no Infinity or NaN (JSON.stringify writes null): name them as they are.
  if (typeof value === "number" && !Number.isFinite(value)) return `number ${String(value)}`;
  const json =
    JSON.stringify(value, (_key, v: unknown) =>
      typeof v === "number" && !Number.isFinite(v) ? String(v) : v,
    ) ?? String(value);
  const shown = json.length > 60 ? `${json.slice(0, 57)}...` : json;
  const kind = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  return `${kind} ${shown}`;
}

// ---- Bigtable cell encoding, one per type (the row layout in docs/models.md) ----

const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** How a cell of each type is written: UTF-8 text. */
export const CELL_ENCODING: Record<FeatureType, string> = {
  number: "UTF-8 decimal, e.g. 12.5 or -3e-2",
  string: "UTF-8 text as is",
  boolean: "UTF-8 true or false",
  "number[]": "UTF-8 JSON array of numbers, e.g. [1.5,2]",
  "string[]": 'UTF-8 JSON array of strings, e.g. ["a","b"]',
};

/** The cell text of a value (what the team that writes the table stores). */
export function encodeCell(type: FeatureType, value: FeatureValue): string {
  if (!hasFeatureType(type, value)) {
    throw new TypeError(`a ${type} cell cannot hold ${describeValue(value)}`);
  }
  return type === "number[]" || type === "string[]" ? JSON.stringify(value) : String(value);
}

/** The value of a cell's text by declared type, or undefined if the text is not of that type. */
export function decodeCell(type: FeatureType, text: string): FeatureValue | undefined {
  switch (type) {
    case "number": {
      const value = DECIMAL.test(text) ? Number(text) : Number.NaN;
      return Number.isFinite(value) ? value : undefined;
    }
    case "string":
      return text;
    case "boolean":
      return text === "true" ? true : text === "false" ? false : undefined;
    case "number[]":
    case "string[]": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return undefined;
      }
      return hasFeatureType(type, parsed) ? parsed : undefined;
    }
  }
}

// ---- Validation (stack config and worker env share these schemas) ----

const FEATURE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;
const FIELD_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

const featureValue = z.union([z.number(), z.string(), z.boolean(), z.array(z.number()), z.array(z.string())]);

export const featureSpecSchema = z
  .strictObject({
    name: z
      .string()
      .regex(FEATURE_NAME, "must be 1-128 letters, digits, _ . or -, starting with a letter or _"),
    type: z.enum(FEATURE_TYPES),
    source: z.enum(FEATURE_SOURCES).default("either"),
    required: z.boolean().optional(),
    default: featureValue.optional(),
  })
  .superRefine((f, ctx) => {
    if (f.default !== undefined && !hasFeatureType(f.type, f.default)) {
      ctx.addIssue({
        code: "custom",
        path: ["default"],
        message: `must be a ${f.type} (the feature's type), got ${describeValue(f.default)}`,
      });
    }
    if (f.default !== undefined && f.required === true) {
      ctx.addIssue({
        code: "custom",
        path: ["required"],
        message: "a required feature has no default: drop `required` or `default`",
      });
    }
  })
  .transform((f): FeatureSpec => ({
    name: f.name,
    type: f.type,
    source: f.source,
    // Required unless a default is given: nothing reaches the model short of a feature unnoticed.
    required: f.required ?? f.default === undefined,
    ...(f.default === undefined ? {} : { default: f.default }),
  }));

const fieldPath = z.string().regex(FIELD_PATH, "must be a dot path such as score, result.score or scores.0");

export const outputSpecSchema = z
  .strictObject({
    scoreField: fieldPath.optional(),
    scoreMin: z.number().optional(),
    scoreMax: z.number().optional(),
    labelField: fieldPath.optional(),
  })
  .superRefine((o, ctx) => {
    if ((o.scoreMin !== undefined || o.scoreMax !== undefined) && o.scoreField === undefined) {
      ctx.addIssue({ code: "custom", path: ["scoreField"], message: "is required with scoreMin/scoreMax" });
    }
    if (o.scoreMin !== undefined && o.scoreMax !== undefined && o.scoreMin > o.scoreMax) {
      ctx.addIssue({
        code: "custom",
        path: ["scoreMin"],
        message: `must not exceed scoreMax (${o.scoreMax})`,
      });
    }
  });

export const featureListSchema = z
  .array(featureSpecSchema)
  .min(1, "declare at least one feature, or leave the list out for today's numeric features")
  .max(1000)
  .superRefine((features, ctx) => {
    const seen = new Set<string>();
    features.forEach((f, index) => {
      if (seen.has(f.name)) {
        ctx.addIssue({ code: "custom", path: [index, "name"], message: `declares "${f.name}" twice` });
      }
      seen.add(f.name);
    });
  });

export const parametersSchema = z.record(z.string(), z.json());

/** The checks that involve several keys: an array instance needs declared features (its order). */
export function modelIoProblems(io: {
  features?: readonly FeatureSpec[];
  instanceShape?: InstanceShape;
}): Array<{ key: "instanceShape"; message: string }> {
  if (io.instanceShape === "array" && io.features === undefined) {
    return [
      {
        key: "instanceShape",
        message: "array instances are ordered by the declared features: declare model.features",
      },
    ];
  }
  return [];
}

/** Reads the value at a dot path (`a.b.0`) of a JSON value; undefined if absent. */
export function valueAtPath(value: JsonValue, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = Array.isArray(current)
      ? /^\d+$/.test(key)
        ? current[Number(key)]
        : undefined
      : Object.prototype.hasOwnProperty.call(current, key)
        ? current[key]
        : undefined;
  }
  return current;
}

/** A model spec as the deployment holds it (declared, before the worker applies defaults). */
export interface ModelIoEnvInput {
  features?: readonly object[];
  instanceShape?: string;
  parameters?: object;
  output?: object;
  missingFeatures?: string;
}

/** The worker variables (by `WORKER_ENV` key) of a spec; what equals today's contract is left unset. */
export function modelIoEnv(io: ModelIoEnvInput): {
  features?: string;
  instanceShape?: string;
  predictParameters?: string;
  predictionOutput?: string;
  missingFeatures?: string;
} {
  return {
    ...(io.features === undefined ? {} : { features: JSON.stringify(io.features) }),
    ...(io.instanceShape === undefined || io.instanceShape === DEFAULT_MODEL_IO.instanceShape
      ? {}
      : { instanceShape: io.instanceShape }),
    ...(io.parameters === undefined ? {} : { predictParameters: JSON.stringify(io.parameters) }),
    ...(io.output === undefined ? {} : { predictionOutput: JSON.stringify(io.output) }),
    ...(io.missingFeatures === undefined || io.missingFeatures === DEFAULT_MODEL_IO.missingFeatures
      ? {}
      : { missingFeatures: io.missingFeatures }),
  };
}
