/**
 * Every command the READMEs and docs show runs as shown: its npm script exists, its
 * options pass the script's own parser (long runs are checked, not run), and the
 * files it names exist.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parseStartArgs } from "../../local/startArgs";
import { parseBenchArgs } from "../../tools/bench/plan";
import { parsePlanArgs } from "../../tools/plan/args";
import { parseFailoverArgs } from "../../tools/failover/cli";
import { splitPlanOpsArgs } from "../../tools/plan/opsArgs";
import { REPO_ROOT } from "../helpers/stackConfig";
import { extractCommands, markdownFiles } from "./docCommands";
import type { DocCommand } from "./docCommands";

const scriptsOf = (dir: string): Record<string, string> =>
  (
    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, dir, "package.json"), "utf8")) as {
      scripts?: Record<string, string>;
    }
  ).scripts ?? {};

/**
 * A script's own `--help` path: exits 0 only if every other option parsed (strict parseArgs).
 * Asynchronous: a synchronous spawn blocks vitest's worker, whose RPC to the runner times out
 * after 60 s on a loaded machine ("Timeout calling onTaskUpdate").
 */
async function helpRun(file: string, args: readonly string[]): Promise<string | undefined> {
  try {
    await promisify(execFile)(process.execPath, ["--import", "tsx", file, ...args, "--help"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, METADATA_SERVER_DETECTION: "none" },
    });
    return undefined;
  } catch (error) {
    const failed = error as { code?: number | string; stderr?: string };
    return `exit ${failed.code}: ${(failed.stderr ?? "").trim().split("\n")[0]}`;
  }
}

function missingFiles(args: readonly string[], options: readonly string[]): string | undefined {
  for (const option of options) {
    const at = args.indexOf(option);
    const file = at >= 0 ? args[at + 1] : undefined;
    if (file !== undefined && !fs.existsSync(path.join(REPO_ROOT, file)))
      return `${option} ${file} does not exist`;
  }
  return undefined;
}

/** Why the command would not run as shown, or undefined. Parsers throw with the reason. */
async function problemWith(command: string, fenced = true): Promise<string | undefined> {
  const tokens = command.split(/\s+/);
  const dash = tokens.indexOf("--");
  const args = dash >= 0 ? tokens.slice(dash + 1) : [];
  const head = dash >= 0 ? tokens.slice(0, dash) : tokens;
  try {
    if (head[0] === "npx") {
      if (head[1] !== "tsx") return undefined; // other tools (vitest, prettier) take their own options
      const file = head[2]!;
      if (!fs.existsSync(path.join(REPO_ROOT, file))) return `${file} does not exist`;
      const source = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
      return source.includes("help: { type") ? await helpRun(file, head.slice(3)) : undefined;
    }
    const [, verb, name] = head;
    if (["ci", "install", "pack", "publish"].includes(verb!)) return undefined; // npm's own commands
    const workspace = head.includes("-w") ? head[head.indexOf("-w") + 1]! : ".";
    const script = verb === "run" ? name! : verb!;
    if (scriptsOf(workspace)[script] === undefined)
      return `no "${script}" script in ${workspace}/package.json`;
    if (!fenced && dash < 0) return undefined; // "offline in `npm run plan`": a name in a sentence
    switch (script) {
      case "start":
        parseStartArgs(args);
        return undefined;
      case "bench":
        parseBenchArgs(args);
        return undefined;
      case "plan":
        if (splitPlanOpsArgs(args).help) return undefined; // --help prints the usage whatever else is given
        parsePlanArgs(splitPlanOpsArgs(args).rest);
        return missingFiles(args, ["--program", "--config", "--policy-config"]);
      case "chaos":
        return await helpRun("scripts/chaos.ts", args);
      case "drill":
        return await helpRun("scripts/drill.ts", args);
      case "failover":
        parseFailoverArgs(args, REPO_ROOT, new Date());
        return undefined;
      default:
        return undefined;
    }
  } catch (error) {
    return (error as Error).message.split("\n")[0];
  }
}

const commands: DocCommand[] = markdownFiles(REPO_ROOT).flatMap((file) =>
  extractCommands(file, fs.readFileSync(path.join(REPO_ROOT, file), "utf8")),
);

describe("the commands the READMEs show", () => {
  it("are found (README, local/, policies/, examples/, docs/)", () => {
    const where = new Set(commands.map((c) => c.where.split(":")[0]));
    for (const file of ["README.md", "local/README.md", "policies/README.md", "docs/performance.md"]) {
      expect(where).toContain(file);
    }
    expect(commands.length).toBeGreaterThanOrEqual(15);
  });

  it("each runs as shown: script, options and files", { timeout: 300_000 }, async () => {
    const checked: (DocCommand & { problem: string | undefined })[] = [];
    for (const c of commands) checked.push({ ...c, problem: await problemWith(c.command, c.fenced) });
    const problems = checked
      .filter((c) => c.problem !== undefined)
      .map((c) => `${c.where}: \`${c.command}\`: ${c.problem}`);
    expect(problems).toEqual([]);
  });

  it("a wrong option in a shown command would be caught", { timeout: 120_000 }, async () => {
    expect(await problemWith("npm start -- --rate -5")).toBe('--rate must be a number >= 0, got "-5"');
    expect(await problemWith("npm run bench -- --quik")).toMatch(/Unknown option '--quik'/);
    expect(await problemWith("npm run plan -- --stack prod --program nope.ts")).toBe(
      "--program nope.ts does not exist",
    );
    expect(await problemWith("npm run nope")).toBe('no "nope" script in ./package.json');
  });
});

describe("the files the docs point at", () => {
  it("exist: Markdown links, and docs/*.md named in Pulumi.yaml descriptions", () => {
    const broken: string[] = [];
    for (const file of markdownFiles(REPO_ROOT)) {
      const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
      for (const match of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = match[1]!;
        if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
        if (!fs.existsSync(path.resolve(REPO_ROOT, path.dirname(file), target)))
          broken.push(`${file}: ${target}`);
      }
    }
    for (const file of ["Pulumi.yaml", "examples/platform/Pulumi.yaml"]) {
      const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
      for (const match of text.matchAll(/\bdocs\/[\w.-]+\.md\b/g)) {
        if (!fs.existsSync(path.join(REPO_ROOT, match[0]))) broken.push(`${file}: ${match[0]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
