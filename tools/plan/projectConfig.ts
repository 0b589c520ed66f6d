/**
 * What the Pulumi CLI checks in a stack's config before it runs a program, applied offline so
 * `npm run plan` refuses what `pulumi preview` would. Followed from the CLI source
 * (pulumi/pulumi, pkg/workspace/config.go `mergeConfig`, called by
 * `ValidateStackConfigAndApplyProjectConfig`; sdk/go/common/workspace/project.go
 * `RewriteShorthandConfigValues`, `Project.Validate`, `ValidateConfigValue`):
 * - a project key (no namespace, or the project's) declared without `default` or `value` must be
 *   set in every stack ("Stack 'x' is missing configuration value 'y'"; pulumi/pulumi#21797);
 * - a stack value of an explicitly typed project key must have that type;
 * - a project key's `default` must have its type; a key in another namespace takes `value` only;
 * - a missing key with a `default` (or `value`) gets it, as the CLI merges it into the stack;
 * - an entry takes only the attributes project.json allows (`additionalProperties: false`), not both
 *   `default` and `value` (Project.Validate); a `secret` key's stack value must be encrypted, and an
 *   encrypted value is type-checked only once decrypted (config.go `validateStackConfigValue`), so
 *   offline it passes the type check.
 */
import * as fs from "node:fs";
import { parse as parseYaml } from "yaml";

/** The attributes a project config entry may have (project.json `configTypeDeclaration`). */
const ENTRY_ATTRIBUTES = ["type", "items", "default", "value", "description", "secret"];

/** The `type` names of project config (project.json `simpleConfigType`). */
const TYPE_NAMES = ["string", "integer", "boolean", "array", "object"] as const;
type TypeName = (typeof TYPE_NAMES)[number];

interface ItemsType {
  type: TypeName;
  items?: ItemsType;
}

/** One `config:` entry of Pulumi.yaml, after the CLI's shorthand rewrite. */
export interface ProjectConfigType {
  type?: TypeName;
  items?: ItemsType;
  default?: unknown;
  value?: unknown;
  description?: string;
  secret?: boolean;
}

export interface PulumiProject {
  name: string;
  config: Record<string, ProjectConfigType>;
}

/** Reads a Pulumi.yaml: `name` and `config`, with short-hand entries rewritten as the CLI does. */
export function readProject(file: string): PulumiProject {
  const doc = parseYaml(fs.readFileSync(file, "utf8")) as { name?: unknown; config?: unknown } | null;
  const name = doc?.name;
  if (typeof name !== "string") throw new Error(`${file} has no project name`);
  const raw = doc?.config;
  const config: Record<string, ProjectConfigType> = {};
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
    for (const [key, entry] of Object.entries(raw as Record<string, unknown>)) {
      // RewriteShorthandConfigValues: a primitive or array is a project key's default, another namespace's value.
      const shorthand = entry === null || typeof entry !== "object" || Array.isArray(entry);
      config[key] = shorthand
        ? isProjectKey(name, key)
          ? { default: entry }
          : { value: entry }
        : (entry as ProjectConfigType);
    }
  }
  return { name, config };
}

/** configKeyIsNamespacedByProject: no namespace, or the project's. */
function isProjectKey(project: string, key: string): boolean {
  return !key.includes(":") || key.startsWith(`${project}:`);
}

/** parseConfigKey: a key without a namespace is the project's. */
function fullKey(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

function typeName(type: TypeName, items?: ItemsType): string {
  return items ? `array<${typeName(items.type, items.items)}>` : type;
}

/**
 * ValidateConfigValue. Stack values the CLI holds as text (every scalar: a YAML `true` or `8080`
 * in Pulumi.<stack>.yaml is the string "true" or "8080") arrive here as strings; maps and lists
 * arrive parsed, their members keeping their JSON types.
 */
export function matchesType(type: TypeName, items: ItemsType | undefined, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return (
        (typeof value === "number" && Number.isInteger(value)) ||
        (typeof value === "string" && /^[+-]?\d+$/.test(value))
      );
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false";
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    case "array":
      return (
        Array.isArray(value) &&
        items !== undefined &&
        value.every((item) => matchesType(items.type, items.items, item))
      );
  }
}

/** `{ secure: "v1:..." }`: a value `pulumi config set --secret` wrote, encrypted in the stack file. */
function isEncrypted(value: unknown): boolean {
  return (
    value !== null && typeof value === "object" && typeof (value as { secure?: unknown }).secure === "string"
  );
}

/** A stack file value as the CLI sees it: scalars as text, maps and lists as they are. */
function asCliValue(value: unknown): unknown {
  if (value !== null && typeof value === "object") return value;
  return value === null ? "" : String(value);
}

export interface AppliedConfig {
  /** The stack config with the project's defaults merged in (what the program then reads). */
  config: Record<string, unknown>;
  /** What the CLI would refuse, one line each; empty when the stack passes. */
  problems: string[];
}

/** The CLI's quoting of missing keys: 'a', 'b' and 'c'. */
function listKeys(keys: string[]): string {
  const quoted = [...keys].sort().map((k) => `'${k}'`);
  return quoted.length === 1 ? quoted[0]! : `${quoted.slice(0, -1).join(", ")} and ${quoted.at(-1)!}`;
}

/** Validates a stack's flat config against its project's declarations and merges the defaults in. */
export function applyProjectConfig(
  project: PulumiProject,
  stack: string,
  stackConfig: Record<string, unknown>,
): AppliedConfig {
  const config = { ...stackConfig };
  const problems: string[] = [];
  const missing: string[] = [];
  for (const key of Object.keys(project.config).sort()) {
    const declared = project.config[key]!;
    const full = fullKey(project.name, key);
    const ownKey = isProjectKey(project.name, key);
    // Project.Validate (the CLI refuses the Pulumi.yaml itself).
    if (declared.type !== undefined && !TYPE_NAMES.includes(declared.type)) {
      problems.push(
        `Pulumi.yaml: '${key}' has type '${String(declared.type)}'; allowed: ${TYPE_NAMES.join(", ")}`,
      );
      continue;
    }
    if (
      !ownKey &&
      (declared.type !== undefined || declared.default !== undefined || declared.value === undefined)
    ) {
      problems.push(
        `Pulumi.yaml: '${key}' is not namespaced by the project, so it takes a 'value' only (no 'type' or 'default')`,
      );
      continue;
    }
    const unknown = Object.keys(declared).filter((attribute) => !ENTRY_ATTRIBUTES.includes(attribute));
    if (unknown.length > 0) {
      problems.push(
        `Pulumi.yaml: '${key}' has ${unknown.map((a) => `'${a}'`).join(", ")}, which a config entry cannot have; allowed: ${ENTRY_ATTRIBUTES.join(", ")}`,
      );
      continue;
    }
    if (declared.default !== undefined && declared.value !== undefined) {
      problems.push(`Pulumi.yaml: '${key}' cannot have both a 'default' and a 'value'`);
      continue;
    }
    if (declared.type === "array" && declared.items === undefined) {
      problems.push(`Pulumi.yaml: '${key}' declares an array but not its items' type ('items')`);
      continue;
    }
    if (
      declared.type &&
      declared.default !== undefined &&
      !matchesType(declared.type, declared.items, declared.default)
    ) {
      problems.push(
        `Pulumi.yaml: the default of '${key}' is not of the expected type '${typeName(declared.type, declared.items)}'`,
      );
    }
    const found = Object.hasOwn(stackConfig, full);
    const fallback = declared.default ?? declared.value;
    if (!found && fallback === undefined && full.startsWith(`${project.name}:`)) {
      missing.push(key);
      continue;
    }
    if (!found) {
      config[full] = fallback;
      continue;
    }
    const value = stackConfig[full];
    if (declared.secret === true && !isEncrypted(value)) {
      problems.push(`Stack '${stack}' with configuration key '${key}' must be encrypted as it's secret`);
      continue;
    }
    if (
      declared.type &&
      !isEncrypted(value) &&
      !matchesType(declared.type, declared.items, asCliValue(value))
    ) {
      problems.push(
        `Stack '${stack}' with configuration key '${key}' must be of type '${typeName(declared.type, declared.items)}'`,
      );
    }
  }
  if (missing.length > 0) {
    problems.unshift(
      `Stack '${stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${listKeys(missing)}: ` +
        `Pulumi.yaml declares ${missing.length > 1 ? "them" : "it"} without a default, so every stack must set ${missing.length > 1 ? "them" : "it"} (\`pulumi config set <key> <value>\`)`,
    );
  }
  return { config, problems };
}

/**
 * Provider keys in a stack file that nothing reads. The root program creates its gcp provider
 * explicitly (index.ts: project = streaming-inference:projectId, region = the first of regions),
 * and an explicit provider takes its settings from its arguments only: stack config `gcp:*` keys
 * configure the default provider ("Default provider configuration", pulumi.com/docs/iac/concepts/
 * resources/providers), which this program never uses. A `gcp:project` there would only mislead.
 */
export function ignoredProviderKeyProblems(config: Record<string, unknown>, stack: string): string[] {
  return Object.keys(config)
    .filter((key) => key.startsWith("gcp:"))
    .map(
      (key) =>
        `${key} in Pulumi.${stack}.yaml is read by nothing: every resource uses the program's explicit gcp provider ` +
        `(project = streaming-inference:projectId, region = the first of streaming-inference:regions; index.ts); remove ${key}`,
    );
}
