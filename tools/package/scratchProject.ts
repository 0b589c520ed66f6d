/**
 * A consumer's project in a scratch folder: the example stack (examples/platform) with the
 * packed tarball and chosen `@pulumi/*` versions installed from the npm registry, as a new
 * user of the package would set it up. The npm cache lives beside the projects, so a second
 * run downloads little.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const EXAMPLE_FILES = ["index.ts", "Pulumi.yaml", "Pulumi.example.yaml"];
/** What a consumer's tsconfig typically says (the example's own settings). */
const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "Node16",
    moduleResolution: "Node16",
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
  },
  files: ["index.ts"],
};

/** The versions one project installs; `undefined` leaves the package's peer range to npm. */
export interface SdkChoice {
  label: string;
  versions: Record<string, string | undefined>;
}

export interface ScratchProject {
  dir: string;
  program: string;
  config: string;
}

/** The lowest version a caret or exact range allows (`^3.248.0` -> `3.248.0`). */
export function lowestOf(range: string): string {
  const match = /^[\^~]?(\d+\.\d+\.\d+)$/.exec(range.trim());
  if (!match) throw new Error(`peer range "${range}" is not a caret, tilde or exact version`);
  return match[1]!;
}

/** Copies the example into `dir` (emptied first) and installs the tarball with the chosen SDK. */
export async function scratchProject(
  exampleDir: string,
  dir: string,
  tarball: string,
  choice: SdkChoice,
  npmCache: string,
): Promise<ScratchProject> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const file of EXAMPLE_FILES) fs.copyFileSync(path.join(exampleDir, file), path.join(dir, file));
  fs.writeFileSync(path.join(dir, "tsconfig.json"), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  fs.writeFileSync(
    path.join(dir, "package.json"),
    `${JSON.stringify({ name: `consumer-${choice.label}`, private: true }, null, 2)}\n`,
  );
  const specs = Object.entries(choice.versions)
    .filter(([, v]) => v !== undefined)
    .map(([name, v]) => `${name}@${v}`);
  await run(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", "--cache", npmCache, tarball, ...specs],
    { cwd: dir, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return {
    dir,
    program: path.join(dir, "index.ts"),
    config: path.join(dir, "Pulumi.example.yaml"),
  };
}

interface LsNode {
  version?: string;
  dependencies?: Record<string, LsNode>;
}

/** Every version of `name` in the project's tree (`npm ls --all`), deduplicated. */
export async function installedVersions(dir: string, name: string): Promise<string[]> {
  const { stdout } = await run("npm", ["ls", name, "--all", "--json"], {
    cwd: dir,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? "{}" }));
  const found = new Set<string>();
  const walk = (deps: Record<string, LsNode> | undefined) => {
    for (const [dep, node] of Object.entries(deps ?? {})) {
      if (dep === name && node.version) found.add(node.version);
      walk(node.dependencies);
    }
  };
  walk((JSON.parse(stdout) as LsNode).dependencies);
  return [...found].sort();
}
