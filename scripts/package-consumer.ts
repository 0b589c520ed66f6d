/**
 * `npm run package-consumer [-- --only newest|lowest] [--keep]`: the package as a consumer installs it.
 * Packs the tarball (`npm pack`), then for the newest released `@pulumi/pulumi` and `@pulumi/gcp`
 * and for the lowest versions the peer ranges allow, sets up the example stack
 * (examples/platform) in a scratch project, installs the tarball and the SDK from the npm
 * registry, and checks: one copy of each SDK package (`npm ls`), the program's types compile,
 * and `npm run plan -- --program` renders it. Needs the npm registry; takes minutes (run by
 * scripts/ci-quick-suites.sh, not by the unit tests). Exit codes: 0 passed; 1 a check failed;
 * 2 bad arguments.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs, promisify } from "node:util";
import {
  installedVersions,
  lowestOf,
  scratchProject,
  type ScratchProject,
  type SdkChoice,
} from "../tools/package/scratchProject";

const run = promisify(execFile);
const REPO_ROOT = path.resolve(__dirname, "..");
const WORK = path.join(os.tmpdir(), "streaming-inference-package-consumer");
const CHECKED = ["@pulumi/pulumi", "@pulumi/gcp"] as const;
const big = { maxBuffer: 64 * 1024 * 1024 };

const failures: string[] = [];
function check(ok: boolean, what: string): void {
  process.stdout.write(`  ${ok ? "ok  " : "FAIL"} ${what}\n`);
  if (!ok) failures.push(what);
}

async function timed<T>(what: string, step: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await step();
  process.stdout.write(`  ${what}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

async function pack(): Promise<string> {
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", WORK], {
    cwd: REPO_ROOT,
    timeout: 600_000,
    ...big,
  });
  const [report] = JSON.parse(stdout.slice(stdout.indexOf("["))) as { filename: string }[];
  return path.join(WORK, report!.filename);
}

async function newest(name: string): Promise<string> {
  const { stdout } = await run("npm", ["view", name, "version"], { timeout: 60_000 });
  return stdout.trim();
}

async function verify(project: ScratchProject, expected: Record<string, string>): Promise<void> {
  for (const name of CHECKED) {
    const versions = await installedVersions(project.dir, name);
    check(
      versions.length === 1 && versions[0] === expected[name],
      `npm ls ${name}: ${versions.join(", ") || "none"} (expected one copy, ${expected[name]})`,
    );
  }
  const tsc = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
  const types = await timed("tsc --noEmit", () =>
    run(process.execPath, [tsc, "-p", path.join(project.dir, "tsconfig.json")], big).then(
      () => "",
      (err: { stdout?: string }) => err.stdout ?? String(err),
    ),
  );
  check(types === "", `the example's types compile${types ? `:\n${types}` : ""}`);

  const planJson = path.join(project.dir, "plan.json");
  const tsx = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");
  const args = [
    "scripts/plan.ts",
    "--program",
    project.program,
    "--config",
    project.config,
    "--json",
    planJson,
  ];
  const rendered = await timed("npm run plan -- --program", () =>
    run(tsx, args, { cwd: REPO_ROOT, timeout: 600_000, ...big }).then(
      () => "",
      (err: { stderr?: string }) => err.stderr ?? String(err),
    ),
  );
  check(rendered === "", `the plan renders the example${rendered ? `:\n${rendered}` : ""}`);
  if (rendered !== "") return;
  const { resources } = JSON.parse(fs.readFileSync(planJson, "utf8")) as { resources: { type: string }[] };
  const types_ = new Set(resources.map((r) => r.type));
  check(
    types_.has("streaming-inference:index:StreamingInferencePlatform") &&
      types_.has("gcp:vertex/aiEndpoint:AiEndpoint"),
    `the render holds the platform and its endpoint (${resources.length} resources)`,
  );
}

async function main(): Promise<void> {
  let values: { only?: string; keep?: boolean };
  try {
    ({ values } = parseArgs({
      options: { only: { type: "string" }, keep: { type: "boolean", default: false } },
    }));
    if (values.only !== undefined && !["newest", "lowest"].includes(values.only))
      throw new Error(`--only takes newest or lowest, not "${values.only}"`);
  } catch (err) {
    process.stderr.write(
      `${(err as Error).message}\nusage: npm run package-consumer [-- --only newest|lowest] [--keep]\n`,
    );
    process.exit(2);
  }
  fs.mkdirSync(WORK, { recursive: true });
  const peers = (
    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
      peerDependencies: Record<string, string>;
    }
  ).peerDependencies;
  const lowest = Object.fromEntries(Object.entries(peers).map(([n, r]) => [n, lowestOf(r)]));
  const choices: SdkChoice[] = [
    {
      label: "newest",
      // The newest SDK and Google provider; the rest (docker) as npm resolves the peer range.
      versions: Object.fromEntries(await Promise.all(CHECKED.map(async (n) => [n, await newest(n)]))),
    },
    { label: "lowest", versions: lowest },
  ].filter((c) => values.only === undefined || c.label === values.only);

  process.stdout.write(`Packing (npm pack) into ${WORK}\n`);
  const tarball = await timed("npm pack", pack);
  for (const choice of choices) {
    const shown = CHECKED.map((n) => `${n}@${choice.versions[n]}`).join(" ");
    process.stdout.write(`\n== ${choice.label}: ${shown}\n`);
    const project = await timed("npm install", () =>
      scratchProject(
        path.join(REPO_ROOT, "examples", "platform"),
        path.join(WORK, choice.label),
        tarball,
        choice,
        path.join(WORK, "npm-cache"),
      ),
    );
    await verify(project, choice.versions as Record<string, string>);
  }
  if (!values.keep)
    for (const c of choices) fs.rmSync(path.join(WORK, c.label), { recursive: true, force: true });
  process.stdout.write(`\n${failures.length === 0 ? "passed" : `${failures.length} check(s) failed`}\n`);
  process.exit(failures.length === 0 ? 0 : 1);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
