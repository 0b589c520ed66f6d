/**
 * The package as a consumer gets it: `npm pack`, the tarball unpacked into a stack outside the
 * repository (test/package/consumer), rendered with `npm run plan -- --program <dir>`. It must
 * render with the package's own files only (the `exports` map lets Pulumi serialise the
 * dynamic provider), and its default image build must find everything the Dockerfile copies.
 * The package's dependencies are linked to this repository's node_modules rather than
 * downloaded: what is under test is the package's contents, and the run stays fast.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedResource } from "../../tools/plan/mocks";
import { REPO_ROOT } from "../helpers/stackConfig";

const run = promisify(execFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "si-consumer-"));
const stackDir = path.join(tmp, "stack");
const installed = path.join(stackDir, "node_modules", "streaming-inference");
const PREBUILT = `us-docker.pkg.dev/acme-ci/images/worker@sha256:${"ab".repeat(32)}`;
let packedFiles: string[];
const plans: Record<"build" | "prebuilt", RecordedResource[]> = { build: [], prebuilt: [] };
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** `npm install <tarball>` without the download: unpack it, link its dependencies. */
async function installTarball(tarball: string): Promise<void> {
  fs.mkdirSync(installed, { recursive: true });
  await run("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
  const manifest = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
  };
  // The peers (the Pulumi SDK and providers) are the consumer's to install: linked here as npm would install them.
  for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
    const link = path.join(stackDir, "node_modules", dep);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules", dep), link, "dir");
  }
}

async function plan(stack: keyof typeof plans): Promise<void> {
  const out = path.join(tmp, `${stack}.json`);
  // As `npm run plan` runs it: tsx from the repository, with the repository as the working directory.
  await run(
    path.join(REPO_ROOT, "node_modules", ".bin", "tsx"),
    ["scripts/plan.ts", "--stack", stack, "--program", stackDir, "--json", out],
    { cwd: REPO_ROOT, timeout: 180_000, maxBuffer: 64 * 1024 * 1024 },
  );
  plans[stack] = (JSON.parse(fs.readFileSync(out, "utf8")) as { resources: RecordedResource[] }).resources;
}

beforeAll(async () => {
  // The real `npm pack`, prepack (build + worker build context) included.
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", tmp], {
    cwd: REPO_ROOT,
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const report = JSON.parse(stdout.slice(stdout.indexOf("["))) as {
    filename: string;
    files: { path: string }[];
  }[];
  packedFiles = report[0]!.files.map((f) => f.path);
  await installTarball(path.join(tmp, report[0]!.filename));

  for (const file of ["Pulumi.yaml", "index.ts", "tsconfig.json"]) {
    fs.copyFileSync(path.join(__dirname, "consumer", file), path.join(stackDir, file));
  }
  const staging = fs.readFileSync(
    path.join(REPO_ROOT, "test", "fixtures", "stacks", "Pulumi.staging.yaml"),
    "utf8",
  );
  fs.writeFileSync(path.join(stackDir, "Pulumi.build.yaml"), staging);
  fs.writeFileSync(
    path.join(stackDir, "Pulumi.prebuilt.yaml"),
    `${staging.trimEnd()}\n  consumer-stack:workerImageUri: ${PREBUILT}\n`,
  );
  await Promise.all([plan("build"), plan("prebuilt")]);
}, 400_000);

const ofType = (stack: keyof typeof plans, type: string) => plans[stack].filter((r) => r.type === type);

describe("the packed package, installed in a stack outside the repository", () => {
  it("renders the platform from the package, not from the repository's sources", () => {
    const [deployment] = ofType("build", "pulumi-nodejs:dynamic/vertex:ModelDeployment");
    const provider = String(deployment?.inputs.__provider);
    expect(provider).toContain(
      'require("streaming-inference/dist/components/serving/modelDeployment/vertexApi.js")',
    );
    expect(provider).not.toContain(REPO_ROOT);
    expect(ofType("build", "gcp:cloudrunv2/workerPool:WorkerPool")).toHaveLength(1);
  });

  it("ships the worker's build context, with every file the Dockerfile copies", () => {
    const context = path.join(installed, "dist", "worker-context");
    const dockerfile = fs.readFileSync(path.join(context, "worker", "Dockerfile"), "utf8");
    // COPY lines that read the build context (not another stage): every source must be shipped.
    const sources = dockerfile
      .split("\n")
      .filter((line) => /^COPY\s/.test(line) && !line.includes("--from="))
      .flatMap((line) => line.trim().split(/\s+/).slice(1, -1));
    expect(sources).toEqual(expect.arrayContaining(["package-lock.json", "contract", "worker/src"]));
    for (const source of sources) expect(fs.existsSync(path.join(context, source)), source).toBe(true);
    expect(packedFiles).toContain("dist/worker-context/package-lock.json");
    expect(packedFiles.filter((f) => f.includes("node_modules") || f.endsWith(".test.ts"))).toEqual([]);
  });

  it("builds the image from the shipped context by default", () => {
    const [image] = ofType("build", "docker:index/image:Image");
    const build = image?.inputs.build as { context: string; dockerfile: string };
    expect(fs.realpathSync(build.context)).toBe(
      fs.realpathSync(path.join(installed, "dist", "worker-context")),
    );
    expect(fs.existsSync(build.dockerfile)).toBe(true);
  });

  it("deploys a prebuilt image instead when given workerImage.imageUri: nothing built, no repository", () => {
    expect(ofType("prebuilt", "docker:index/image:Image")).toEqual([]);
    expect(ofType("prebuilt", "gcp:artifactregistry/repository:Repository")).toEqual([]);
    const [pool] = ofType("prebuilt", "gcp:cloudrunv2/workerPool:WorkerPool");
    const template = pool?.inputs.template as { containers: { image: string }[] };
    expect(template.containers[0]?.image).toBe(PREBUILT);
  });
});
