/**
 * Turns schema issues into messages a platform engineer can act on: the full config
 * key (`streaming-inference:model.maxReplicas`), the value found, and what is allowed.
 */
import type { z } from "zod";

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

function describe(issue: z.core.$ZodIssue, raw: unknown, style: KeyStyle): string {
  const key = keyName(issue.path, style);
  const value = valueAt(raw, issue.path);
  switch (issue.code) {
    case "invalid_type":
      if (value === undefined) {
        return `${key} is required (${issue.expected}); ${style.setHint}`;
      }
      return `${key} is ${show(value)}, but must be a ${issue.expected}`;
    case "invalid_value":
      return `${key} is ${show(value)}; allowed: ${issue.values.map((v) => show(v)).join(", ")}`;
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      const op = issue.code === "too_small" ? (issue.inclusive ? ">=" : ">") : issue.inclusive ? "<=" : "<";
      const what =
        issue.origin === "array" ? "number of entries" : issue.origin === "string" ? "length" : "value";
      return `${key} is ${show(value)}; the ${what} must be ${op} ${String(bound)}`;
    }
    case "invalid_format":
      return `${key} is ${show(value)}, which is not a valid ${issue.format === "email" ? "e-mail address" : issue.format}${
        issue.format === "regex" ? `: ${issue.message}` : ""
      }`;
    case "unrecognized_keys":
      return `${key} has unknown key(s) ${issue.keys.map((k) => show(k)).join(", ")}; remove them or fix the spelling`;
    default:
      return `${key} ${value === undefined ? "is not set" : `is ${show(value)}`}: ${issue.message}`;
  }
}

/** Formats a failed parse as a `ConfigError`, naming stack config keys unless told another style. */
export function toConfigError(error: z.ZodError, raw: unknown, style: KeyStyle = STACK_KEYS): ConfigError {
  return new ConfigError(error.issues.map((issue) => describe(issue, raw, style)));
}
