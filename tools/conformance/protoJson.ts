/**
 * A JSON value read against a Google API's proto, as the API reads it and writes it back.
 * The protos are the ones Google ships in its npm clients (`<package>/build/protos/protos.json`).
 * Rules followed (protobuf.dev "ProtoJSON Format"): fields by their lowerCamelCase JSON name;
 * enums by value name; int64 kinds as strings; Duration, Timestamp and FieldMask as strings;
 * Struct/Value/ListValue as any JSON; wrappers as their primitive; and on output, a field without
 * presence that holds its default (0, "", false, the zero enum, an empty list or map) is omitted.
 * A field the message does not have, or an enum value it does not list, is a problem, named.
 */
import * as path from "node:path";
import * as protobuf from "protobufjs";

const roots = new Map<string, protobuf.Root>();

/** The protos of an installed Google client package, e.g. `@google-cloud/monitoring-dashboards`. */
export function protoRoot(pkg: string): protobuf.Root {
  let root = roots.get(pkg);
  if (!root) {
    const file = require.resolve(path.posix.join(pkg, "build/protos/protos.json"));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    root = protobuf.Root.fromJSON(require(file) as protobuf.INamespace);
    root.resolveAll();
    roots.set(pkg, root);
  }
  return root;
}

/** One place where a value disagrees with the proto. */
export interface ProtoProblem {
  /** Path in the JSON, e.g. `mosaicLayout.tiles[0].widget.xyChart.dataSets[0].bogus`. */
  path: string;
  /** What is wrong, naming the proto message (or enum). */
  message: string;
}

export interface Canonical {
  /** The value as the API returns it (proto3 JSON, defaults omitted); undefined if nothing remains. */
  value: unknown;
  problems: ProtoProblem[];
}

const INT64 = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);
const INT32 = new Set(["int32", "uint32", "sint32", "fixed32", "sfixed32"]);
const STRING_WKT = new Set([
  ".google.protobuf.Duration",
  ".google.protobuf.Timestamp",
  ".google.protobuf.FieldMask",
]);
const ANY_JSON_WKT = new Set([
  ".google.protobuf.Struct",
  ".google.protobuf.Value",
  ".google.protobuf.ListValue",
]);
const WRAPPERS: Record<string, string> = {
  ".google.protobuf.DoubleValue": "double",
  ".google.protobuf.FloatValue": "float",
  ".google.protobuf.Int64Value": "int64",
  ".google.protobuf.UInt64Value": "uint64",
  ".google.protobuf.Int32Value": "int32",
  ".google.protobuf.UInt32Value": "uint32",
  ".google.protobuf.BoolValue": "bool",
  ".google.protobuf.StringValue": "string",
  ".google.protobuf.BytesValue": "bytes",
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const join = (base: string, key: string) => (base ? `${base}.${key}` : key);

/** The type name of a message with its leading dot removed, for messages. */
const nameOf = (t: protobuf.ReflectionObject) => t.fullName.replace(/^\./, "");

/** Whether a field tracks presence (a oneof member, proto3 `optional`): then its default is kept. */
function hasPresence(field: protobuf.Field): boolean {
  return field.partOf !== null || (field.options?.proto3_optional as boolean | undefined) === true;
}

interface Walk {
  problems: ProtoProblem[];
}

/** A scalar of proto type `type`, canonical; undefined (with a problem) when it does not fit. */
function scalar(type: string, value: unknown, at: string, owner: string, w: Walk): unknown {
  const bad = (what: string) => {
    w.problems.push({ path: at, message: `${JSON.stringify(value)} is not ${what} (${owner})` });
    return undefined;
  };
  if (type === "string" || type === "bytes") return typeof value === "string" ? value : bad(`a ${type}`);
  if (type === "bool") return typeof value === "boolean" ? value : bad("a bool");
  if (type === "double" || type === "float") return typeof value === "number" ? value : bad(`a ${type}`);
  if (INT32.has(type))
    return typeof value === "number" && Number.isInteger(value) ? value : bad(`an ${type}`);
  if (INT64.has(type)) {
    if (
      (typeof value === "number" && Number.isInteger(value)) ||
      (typeof value === "string" && /^-?\d+$/.test(value))
    )
      return String(value);
    return bad(`an ${type}`);
  }
  return bad(`a ${type}`);
}

function isDefault(value: unknown, field: protobuf.Field): boolean {
  if (field.resolvedType instanceof protobuf.Enum) {
    const zero = Object.entries(field.resolvedType.values).find(([, n]) => n === 0)?.[0];
    return value === zero || value === 0;
  }
  if (field.resolvedType instanceof protobuf.Type) return false; // a set message has presence
  return value === 0 || value === "0" || value === "" || value === false;
}

/** One element of a field (a list item, a map value, or the value itself). */
function element(field: protobuf.Field, value: unknown, at: string, owner: string, w: Walk): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) {
    const names = Object.keys(resolved.values);
    if (typeof value === "string" && names.includes(value)) return value;
    if (typeof value === "number") {
      const name = names.find((n) => resolved.values[n] === value);
      if (name) return name;
    }
    w.problems.push({
      path: at,
      message: `${JSON.stringify(value)} is not a value of enum ${nameOf(resolved)} (${owner}); it has: ${names.join(", ")}`,
    });
    return undefined;
  }
  if (resolved instanceof protobuf.Type) return message(resolved, value, at, w);
  return scalar(field.type, value, at, owner, w);
}

function message(type: protobuf.Type, value: unknown, at: string, w: Walk): unknown {
  const full = type.fullName;
  if (STRING_WKT.has(full)) {
    if (typeof value === "string") return value;
    w.problems.push({ path: at, message: `${nameOf(type)} is written as a string in JSON` });
    return undefined;
  }
  if (ANY_JSON_WKT.has(full)) return value;
  const wrapped = WRAPPERS[full];
  if (wrapped) return scalar(wrapped, value, at, nameOf(type), w);
  if (!isObject(value)) {
    w.problems.push({
      path: at,
      message: `${JSON.stringify(value)} is not an object (message ${nameOf(type)})`,
    });
    return undefined;
  }
  const out: Record<string, unknown> = {};
  const oneofsSet = new Map<string, string>();
  for (const [key, raw] of Object.entries(value)) {
    const here = join(at, key);
    const field = type.fields[key];
    if (!field) {
      w.problems.push({
        path: here,
        message: `message ${nameOf(type)} has no field "${key}"; it has: ${Object.keys(type.fields).join(", ")}`,
      });
      continue;
    }
    if (field.partOf && !field.partOf.name.startsWith("_")) {
      const other = oneofsSet.get(field.partOf.name);
      if (other) {
        w.problems.push({
          path: here,
          message: `"${key}" and "${other}" are both set, but are one of oneof ${field.partOf.name} in ${nameOf(type)}`,
        });
      }
      oneofsSet.set(field.partOf.name, key);
    }
    const owner = `${nameOf(type)}.${key}`;
    let v: unknown;
    if (field instanceof protobuf.MapField) {
      if (!isObject(raw)) {
        w.problems.push({ path: here, message: `is not an object (map field ${owner})` });
        continue;
      }
      const entries = Object.entries(raw)
        .map(([k, item]) => [k, element(field, item, join(here, k), owner, w)] as const)
        .filter(([, item]) => item !== undefined);
      v = entries.length > 0 ? Object.fromEntries(entries) : undefined;
    } else if (field.repeated) {
      if (!Array.isArray(raw)) {
        w.problems.push({ path: here, message: `is not a list (repeated field ${owner})` });
        continue;
      }
      const items = raw.map((item, i) => element(field, item, `${here}[${i}]`, owner, w));
      v = items.length > 0 ? items : undefined;
    } else {
      v = element(field, raw, here, owner, w);
      if (v !== undefined && !hasPresence(field) && isDefault(v, field)) v = undefined;
    }
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** `value` read as message `typeName` of `root` and written back as the API returns it. */
export function canonicalProtoJson(root: protobuf.Root, typeName: string, value: unknown): Canonical {
  const w: Walk = { problems: [] };
  const out = message(root.lookupType(typeName), value, "", w);
  return { value: out, problems: w.problems };
}

/** Paths where `a` and `b` differ (missing keys, other values), for a readable fixed-point failure. */
export function differences(a: unknown, b: unknown, at = ""): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    return Array.from({ length: n }, (_, i) => differences(a[i], b[i], `${at}[${i}]`)).flat();
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => differences(a[k], b[k], join(at, k)));
  }
  return Object.is(a, b) ? [] : [`${at || "(root)"}: ${JSON.stringify(a)} -> ${JSON.stringify(b)}`];
}

/**
 * Problems with a JSON string a Google API stores as proto `typeName`: fields or enum values the
 * proto lacks, and every key the API would not return as written (a default value, an empty list),
 * which would show as a diff on every `pulumi up`. Empty when the JSON is a fixed point.
 */
export function storedJsonProblems(root: protobuf.Root, typeName: string, json: string): string[] {
  const value = JSON.parse(json) as unknown;
  const { value: canonical, problems } = canonicalProtoJson(root, typeName, value);
  if (problems.length > 0) return problems.map((p) => `${p.path}: ${p.message}`);
  return differences(value, canonical).map(
    (d) => `${d} (the API returns ${typeName} as proto3 JSON, without default values)`,
  );
}
