/**
 * Renders the stack program offline for variants of a checked-in stack config, each in
 * its own process (the mock runtime is one stack per process), through `npm run plan`.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";
import type { RecordedResource } from "../../tools/plan/mocks";
import { REPO_ROOT, stackFile } from "./stackConfig";

const run = promisify(execFile);

export interface Rendered {
  resources: RecordedResource[];
}

/**
 * Writes `Pulumi.<stack>.yaml` with `overrides` (top-level keys, without the namespace)
 * into a scratch folder of its own (so the stack name, part of every URN, is unchanged)
 * and renders it.
 */
export async function renderVariant(
  stack: "staging" | "prod",
  variant: string,
  overrides: Record<string, unknown>,
): Promise<Rendered> {
  const dir = path.join(REPO_ROOT, ".local", "failover", `${stack}-${variant}`);
  fs.mkdirSync(dir, { recursive: true });
  const config = { ...stackFile(stack) };
  for (const [key, value] of Object.entries(overrides)) config[`streaming-inference:${key}`] = value;
  const configFile = path.join(dir, `Pulumi.${stack}.yaml`);
  fs.writeFileSync(configFile, stringify({ config }));
  const out = path.join(dir, "plan.json");
  await run(
    path.join(REPO_ROOT, "node_modules", ".bin", "tsx"),
    [path.join(REPO_ROOT, "scripts", "plan.ts"), "--config", configFile, "--json", out],
    { cwd: REPO_ROOT, timeout: 180_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(fs.readFileSync(out, "utf8")) as Rendered;
}

export interface RenderDiff {
  added: string[];
  removed: string[];
  /** URNs in both renders whose inputs differ. */
  changed: string[];
}

function byUrn(r: Rendered): Map<string, RecordedResource> {
  return new Map(r.resources.map((res) => [res.urn, res]));
}

/** What `pulumi up` would see going from `before` to `after`, at the level of URNs and inputs. */
export function diffRenders(before: Rendered, after: Rendered): RenderDiff {
  const a = byUrn(before);
  const b = byUrn(after);
  return {
    added: [...b.keys()].filter((urn) => !a.has(urn)).sort(),
    removed: [...a.keys()].filter((urn) => !b.has(urn)).sort(),
    changed: [...a.keys()]
      .filter(
        (urn) => b.has(urn) && JSON.stringify(a.get(urn)?.inputs) !== JSON.stringify(b.get(urn)?.inputs),
      )
      .sort(),
  };
}

/** `urn:pulumi:prod::streaming-inference::a$b$gcp:pubsub/topic:Topic::name` -> `gcp:pubsub/topic:Topic::name`. */
export function shortUrn(urn: string): string {
  const [, , typePath = "", name = ""] = urn.split("::");
  return `${typePath.split("$").pop()}::${name}`;
}
