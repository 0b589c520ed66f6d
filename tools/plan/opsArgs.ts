/**
 * The flags of `npm run plan` that belong to day-two use, kept apart from args.ts (the render's
 * own flags) so each can change on its own: `--help` and `--policy-config <file>` (the policy
 * pack's config, as `pulumi up --policy-pack-config` takes it). They are taken out of the
 * command line first; what remains goes to `parsePlanArgs`.
 */
import * as fs from "node:fs";
import { PLAN_USAGE } from "./args";

export const PLAN_OPS_USAGE = [
  "  --policy-config <file.json>  the policy pack's config (as `pulumi up --policy-pack-config`): levels and settings per policy",
  "  --help                       this text",
].join("\n");

export const PLAN_FULL_USAGE = `${PLAN_USAGE}\n${PLAN_OPS_USAGE}`;

export interface PlanOpsArgs {
  help: boolean;
  policyConfig?: string;
  /** The rest of the command line, for `parsePlanArgs`. */
  rest: string[];
}

/** Takes this module's flags out of argv; throws with the usage on a flag without its value. */
export function splitPlanOpsArgs(argv: readonly string[]): PlanOpsArgs {
  const out: PlanOpsArgs = { help: false, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") out.help = true;
    else if (arg === "--policy-config" || arg.startsWith("--policy-config=")) {
      const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[++i];
      if (value === undefined || value === "" || value.startsWith("--")) {
        throw new Error(`--policy-config needs a file\n${PLAN_FULL_USAGE}`);
      }
      out.policyConfig = value;
    } else out.rest.push(arg);
  }
  return out;
}

/** The policy pack config of `--policy-config`: a JSON object keyed by policy name (or `all`). */
export function readPolicyConfig(file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`--policy-config ${file} cannot be read as JSON: ${(err as Error).message}`);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new Error(
      `--policy-config ${file} must be a JSON object keyed by policy name, e.g. {"model-deployment-scale-cap": {"maxReplicas": 20}}`,
    );
  }
  return doc as Record<string, unknown>;
}
