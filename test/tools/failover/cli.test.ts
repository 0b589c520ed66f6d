/** The command's entry: arguments, exit codes, the stack file written or left alone. */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { failoverMain, withOldestUnacked } from "../../../tools/failover/cli";
import { fakeClients, REPO_ROOT } from "./fakes";
import type { FakeState } from "./fakes";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function configDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "failover-"));
  dirs.push(dir);
  copyFileSync(join(REPO_ROOT, "Pulumi.prod.yaml"), join(dir, "Pulumi.prod.yaml"));
  return dir;
}

async function run(argv: string[], state: Partial<FakeState> = {}) {
  const full: FakeState = { seeks: [], workers: new Set(), retentionSeconds: 259_200, ...state };
  const out: string[] = [];
  const err: string[] = [];
  const { code, result } = await failoverMain(
    argv,
    REPO_ROOT,
    { write: (l) => out.push(l), warn: (l) => err.push(l) },
    (_stack, oldest) => withOldestUnacked(fakeClients(full), oldest),
  );
  return { code, result, out: out.join("\n"), err: err.join("\n"), seeks: full.seeks };
}

describe("npm run failover", () => {
  it("--dry-run prints the replay point, the seek and the config change, and changes nothing", async () => {
    const dir = configDir();
    const before = readFileSync(join(dir, "Pulumi.prod.yaml"), "utf8");
    const oldest = new Date(Date.now() - 120_000);
    const r = await run([
      "--stack",
      "prod",
      "--to",
      "us-east1",
      "--dry-run",
      "--config-dir",
      dir,
      "--oldest-unacked",
      oldest.toISOString(),
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      `replay point: ${new Date(oldest.getTime() - 60_000).toISOString().replace(/\.\d{3}Z$/, "Z")}`,
    );
    expect(r.out).toContain("would seek si-prod-events-us-east1");
    expect(r.out).toContain("would set streaming-inference:activeRegion us-central1 -> us-east1");
    expect(r.seeks).toEqual([]);
    expect(readFileSync(join(dir, "Pulumi.prod.yaml"), "utf8")).toBe(before);
  });

  it("a real run writes activeRegion into the stack file", async () => {
    const dir = configDir();
    const r = await run([
      "--stack",
      "prod",
      "--to",
      "us-east1",
      "--config-dir",
      dir,
      "--at",
      new Date(Date.now() - 60_000).toISOString(),
    ]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "Pulumi.prod.yaml"), "utf8")).toContain(
      "streaming-inference:activeRegion: us-east1\n",
    );
    expect(r.seeks).toHaveLength(1);
  });

  it("exits 2 on a refusal and on bad arguments, with the reason", async () => {
    const dir = configDir();
    const notConfigured = await run([
      "--stack",
      "prod",
      "--to",
      "asia-east1",
      "--config-dir",
      dir,
      "--dry-run",
    ]);
    expect(notConfigured.code).toBe(2);
    expect(notConfigured.err).toMatch(/refused: region asia-east1 is not configured/);
    expect((await run(["--stack", "prod"])).code).toBe(2);
    expect((await run(["--stack", "prod", "--to", "us-east1", "--at", "yesterday"])).err).toMatch(
      /not an RFC 3339 time/,
    );
    expect((await run(["--stack", "prod", "--to", "us-east1", "--bogus"])).code).toBe(2);
    expect((await run(["--stack", "nope", "--to", "us-east1", "--config-dir", dir])).code).toBe(2);
  });
});
