/**
 * The stack config file a failover reads and changes: `Pulumi.<stack>.yaml`. Only the
 * `activeRegion` value is rewritten, in place, so every comment and layout stays as written.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseDocument, isScalar } from "yaml";
import { CONFIG_NAMESPACE, parseStackConfig, readStackFile, topologyOf } from "../../components/config";
import type { PlatformConfig, Topology } from "../../components/config";

export const ACTIVE_REGION_KEY = `${CONFIG_NAMESPACE}:activeRegion`;

/** A stack config file, validated as `pulumi up` validates it. */
export interface FailoverStack {
  name: string;
  file: string;
  config: PlatformConfig;
  topology: Topology;
}

export function readFailoverStack(name: string, file: string): FailoverStack {
  const config = parseStackConfig(readStackFile(file));
  return { name, file, config, topology: topologyOf(config) };
}

/**
 * `text` with `activeRegion` set to `region`: only the value's characters change (the yaml
 * package's node range), so comments, quoting elsewhere and key order are kept byte for byte.
 */
export function withActiveRegion(text: string, region: string): string {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const node = doc.getIn(["config", ACTIVE_REGION_KEY], true);
  if (!isScalar(node) || node.range === undefined || node.range === null) {
    throw new Error(`no \`${ACTIVE_REGION_KEY}:\` value under \`config:\` to change`);
  }
  if (!/^[a-z0-9-]+$/.test(region)) throw new Error(`"${region}" is not a region name`);
  const [start, valueEnd] = node.range;
  return `${text.slice(0, start)}${region}${text.slice(valueEnd)}`;
}

/** Rewrites the file's `activeRegion`; returns the value it replaced. */
export function setActiveRegion(file: string, region: string): string {
  const text = readFileSync(file, "utf8");
  const before = parseStackConfig(readStackFile(file)).activeRegion;
  writeFileSync(file, withActiveRegion(text, region));
  return before;
}
