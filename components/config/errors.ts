/**
 * Turns schema issues into messages a platform engineer can act on: the full config
 * key (`streaming-inference:model.maxReplicas`), the value found, and what is allowed.
 */
import type { z } from "zod";
import { closest, keysAt } from "./suggest";

export const CONFIG_NAMESPACE = "streaming-inference";

/** A stack config that does not validate. `message` lists every problem, one per line. */
export class ConfigError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`Invalid stack config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = root;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Where a problem is: a stack config key (`streaming-inference:model.port`) or, for a settings object, its path (`config.model.port`). */
export interface KeyStyle {
  /** Written before the path: `streaming-inference:` for stack config, `config.` for a settings argument. */
  prefix: string;
  /** What to do about a missing value. */
  setHint: string;
}
const STACK_KEYS: KeyStyle = {
  prefix: `${CONFIG_NAMESPACE}:`,
  setHint: "set it in Pulumi.<stack>.yaml or with `pulumi config set`",
};

function keyName(path: readonly PropertyKey[], style: KeyStyle): string {
  const [head, ...rest] = path.map(String);
  if (head === undefined) return style.prefix.replace(/[:.]$/, "");
  return `${style.prefix}${head}${rest.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join("")}`;
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** " (did you mean X?)" when `word` is a near miss of one of `candidates`, else "". */
function didYouMean(word: unknown, candidates: readonly string[]): string {
  const intended = typeof word === "string" ? closest(word, candidates) : undefined;
  return intended === undefined ? "" : `; did you mean ${show(intended)}?`;
}

function describe(issue: z.core.$ZodIssue, raw: unknown, style: KeyStyle, schema?: z.core.$ZodType): string {
  const key = keyName(issue.path, style);
  const value = valueAt(raw, issue.path);
  switch (issue.code) {
    case "invalid_type":
      if (value === undefined) {
        // A key whose schema says how to make its value (`deploymentId`) gives that instead.
        const how = issue.message.startsWith("set it") ? issue.message : style.setHint;
        return `${key} is required (${issue.expected}); ${how}`;
      }
      return `${key} is ${show(value)}, but must be a ${issue.expected}`;
    case "invalid_value": {
      const allowed = issue.values.filter((v): v is string => typeof v === "string");
      return `${key} is ${show(value)}${didYouMean(value, allowed)}; allowed: ${issue.values.map((v) => show(v)).join(", ")}`;
    }
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      const op = issue.code === "too_small" ? (issue.inclusive ? ">=" : ">") : issue.inclusive ? "<=" : "<";
      const what =
        issue.origin === "array" ? "number of entries" : issue.origin === "string" ? "length" : "value";
      return `${key} is ${show(value)}; the ${what} must be ${op} ${String(bound)}`;
    }
    case "invalid_format":
      // A pattern check carries its own wording ("must be a gs:// URI"): the value is what is wrong.
      if (issue.format === "regex") return `${key} is ${show(value)}: ${issue.message}`;
      return `${key} is ${show(value)}, which is not a valid ${issue.format === "email" ? "e-mail address" : issue.format}`;
    case "unrecognized_keys": {
      const known = schema ? keysAt(schema, issue.path) : [];
      const hints = issue.keys
        .map((k) => ({
          k,
          intended: closest(
            k,
            known.filter((name) => !(name in Object(value))),
          ),
        }))
        .filter((h): h is { k: string; intended: string } => h.intended !== undefined)
        .map((h) => `did you mean ${show(h.intended)} for ${show(h.k)}?`);
      return `${key} has unknown key(s) ${issue.keys.map((k) => show(k)).join(", ")}; ${
        hints.length > 0 ? `${hints.join(" ")} ` : ""
      }remove them or fix the spelling`;
    }
    default:
      return `${key} ${value === undefined ? "is not set" : `is ${show(value)}`}: ${issue.message}`;
  }
}

/** Formats a failed parse as a `ConfigError`, naming stack config keys unless told another style; with the schema, misspelt keys get a suggestion. */
export function toConfigError(
  error: z.ZodError,
  raw: unknown,
  schema?: z.core.$ZodType,
  style: KeyStyle = STACK_KEYS,
): ConfigError {
  return new ConfigError(error.issues.map((issue) => describe(issue, raw, style, schema)));
}
