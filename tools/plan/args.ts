/** Command line of `npm run plan`, parsed apart from the run so tests can check the README's commands against it. */
import { parseArgs } from "node:util";

export const PLAN_USAGE =
  "usage: npm run plan -- (--stack <staging|prod> | --config <Pulumi.<stack>.yaml>) [--json <out.json>] [--policy] [--roles] [--program <index.ts | project dir>]";

export interface PlanArgs {
  stack?: string;
  config?: string;
  json?: string;
  policy?: boolean;
  /** Print the roles the deploying identity needs and the APIs the stack uses, from the plan. */
  roles?: boolean;
  program?: string;
}

/** Throws an Error whose message names the problem and ends with the usage. */
export function parsePlanArgs(argv: readonly string[]): PlanArgs {
  let values: PlanArgs;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        stack: { type: "string" },
        config: { type: "string" },
        json: { type: "string" },
        policy: { type: "boolean" },
        roles: { type: "boolean" },
        program: { type: "string" },
      },
      strict: true,
    }));
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${PLAN_USAGE}`);
  }
  if (!values.stack === !values.config)
    throw new Error(`give exactly one of --stack or --config\n${PLAN_USAGE}`);
  return values;
}
