/**
 * `google.protobuf.Value` in the object form @grpc/proto-loader produces and
 * accepts (`oneofs: true`), to and from plain JSON values.
 */

/** A protobuf Value as proto-loader hands it to a server handler. */
export interface ProtoValue {
  kind?: string;
  nullValue?: string | number;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: { fields?: Record<string, ProtoValue> };
  listValue?: { values?: ProtoValue[] };
}

import type { JsonValue } from "../../contract";

export type { JsonValue };

export function fromProtoValue(value: ProtoValue): JsonValue {
  switch (value.kind) {
    case "numberValue":
      return value.numberValue ?? 0;
    case "stringValue":
      return value.stringValue ?? "";
    case "boolValue":
      return value.boolValue ?? false;
    case "structValue": {
      const out: Record<string, JsonValue> = {};
      for (const [key, field] of Object.entries(value.structValue?.fields ?? {}))
        out[key] = fromProtoValue(field);
      return out;
    }
    case "listValue":
      return (value.listValue?.values ?? []).map(fromProtoValue);
    default:
      return null;
  }
}

export function toProtoValue(value: JsonValue): ProtoValue {
  if (value === null) return { nullValue: "NULL_VALUE" };
  if (typeof value === "number") return { numberValue: value };
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(toProtoValue) } };
  const fields: Record<string, ProtoValue> = {};
  for (const [key, field] of Object.entries(value)) fields[key] = toProtoValue(field);
  return { structValue: { fields } };
}
