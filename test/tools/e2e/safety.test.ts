/**
 * `npm run e2e`'s guards: it finds the Pulumi CLI as `spawn` would, recognises the Automation
 * API's "cannot start the CLI" error, and refuses `--destroy` on a stack with deletion
 * protection on. Also spawned as a user runs it: prod without `--destroy` is not refused,
 * and without the CLI the run ends in one line, not a stack trace.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  destroyRefusal,
  findPulumiCli,
  isPulumiCliMissing,
  PULUMI_CLI_MISSING,
  stackDeletionProtection,
} from "../../../tools/e2e/safety";
import { REPO_ROOT } from "../../helpers/stackConfig";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-safety-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function e2e(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", "scripts/e2e.ts", ...args],
      { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000, env },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

/** PATH with only node's own folder: no `pulumi` (checked below). */
const NO_CLI_PATH = path.dirname(process.execPath);

describe("npm run e2e safety", () => {
  it("finds an executable pulumi on PATH, and nothing when there is none", () => {
    const bin = path.join(tmp, "bin");
    fs.mkdirSync(bin);
    expect(findPulumiCli(`${tmp}${path.delimiter}${bin}`, "linux")).toBeUndefined();
    fs.writeFileSync(path.join(bin, "pulumi"), "#!/bin/sh\n", { mode: 0o644 });
    expect(findPulumiCli(bin, "linux")).toBeUndefined(); // not executable
    fs.chmodSync(path.join(bin, "pulumi"), 0o755);
    expect(findPulumiCli(`${tmp}${path.delimiter}${bin}`, "linux")).toBe(path.join(bin, "pulumi"));
    expect(findPulumiCli(undefined, "linux")).toBeUndefined();
  });

  it("recognises the spawn error of a missing CLI and nothing else", () => {
    const enoent = Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT", path: "pulumi" });
    expect(isPulumiCliMissing(enoent)).toBe(true);
    expect(isPulumiCliMissing(new Error("quota exceeded"))).toBe(false);
    expect(
      isPulumiCliMissing(
        Object.assign(new Error("no such file"), { code: "ENOENT", path: "/x/Pulumi.yaml" }),
      ),
    ).toBe(false);
  });

  it("refuses --destroy only on a protected stack", () => {
    expect(destroyRefusal("prod", true, true)).toMatch(
      /^refusing --destroy: stack prod has deletion protection on/,
    );
    expect(destroyRefusal("prod", false, true)).toBeUndefined();
    expect(destroyRefusal("staging", true, false)).toBeUndefined();
  });

  it("reads deletion protection from the stack file: on in prod by default, off in staging, as set when set", () => {
    const fixtures = path.join(REPO_ROOT, "test", "fixtures", "stacks");
    expect(stackDeletionProtection(path.join(fixtures, "Pulumi.prod.yaml"))).toBe(true);
    expect(stackDeletionProtection(path.join(fixtures, "Pulumi.staging.yaml"))).toBe(false);
    const text = fs.readFileSync(path.join(fixtures, "Pulumi.staging.yaml"), "utf8");
    expect(text).toContain("streaming-inference:deletionProtection: false");
    const protectedStaging = path.join(tmp, "Pulumi.staging.yaml");
    fs.writeFileSync(
      protectedStaging,
      text.replace(
        "streaming-inference:deletionProtection: false",
        "streaming-inference:deletionProtection: true",
      ),
    );
    expect(stackDeletionProtection(protectedStaging)).toBe(true);
  });

  it("refuses --destroy on prod with exit 2 before touching Pulumi", { timeout: 120_000 }, async () => {
    const run = await e2e({ ...process.env, PATH: NO_CLI_PATH }, "--stack", "prod", "--destroy");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^refusing --destroy: stack prod has deletion protection on/);
  });

  it(
    "without the CLI, prod without --destroy ends in the one line that says so",
    { timeout: 120_000 },
    async () => {
      expect(findPulumiCli(NO_CLI_PATH)).toBeUndefined();
      const run = await e2e({ ...process.env, PATH: NO_CLI_PATH }, "--stack", "prod");
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`${PULUMI_CLI_MISSING}\n`);
      expect(run.stdout).toBe("");
    },
  );
});
