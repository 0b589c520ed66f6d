/**
 * Processes in their own group are stopped with everything they started, as the
 * emulators are (the gcloud wrapper starts a java child).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { processRunning, spawnGroup } from "../../../local/emulators/processGroup";
import { groupAlive, isAlive as alive } from "../processTable";

const REPO_ROOT = path.resolve(__dirname, "../../..");

describe("spawnGroup", () => {
  it("stops the leader and the children it started", async () => {
    // The shell starts a background child, prints its pid, then waits.
    const proc = spawnGroup("sh", ["-c", "sleep 300 & echo child=$!; wait"], { name: "test group" });
    const line = await proc.waitForOutput(/^child=\d+$/, 5000);
    const child = Number(line.slice("child=".length));
    expect(alive(child)).toBe(true);
    await proc.stop({ graceMs: 2000 });
    expect(alive(child)).toBe(false);
    expect(proc.isRunning()).toBe(false);
  });

  it("SIGKILLs a group that ignores SIGTERM after the grace period", async () => {
    const proc = spawnGroup("sh", ["-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done"], {
      name: "stubborn",
    });
    await proc.waitForOutput(/ready/, 5000);
    const started = Date.now();
    await proc.stop({ graceMs: 300 });
    expect(proc.isRunning()).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it("rejects waitForOutput with the process's last output when it exits first", async () => {
    const proc = spawnGroup("sh", ["-c", "echo 'port already in use'; exit 3"], { name: "failing emulator" });
    await expect(proc.waitForOutput(/Server started/, 5000)).rejects.toThrow(
      "failing emulator exited before it was ready. Its last output:\nport already in use",
    );
    await proc.stop();
  });
});

describe("spawnGroup's parent-death watchdog", () => {
  it("stops the group when its parent is SIGKILLed (no exit hook runs)", async () => {
    const parent = spawn(
      process.execPath,
      ["--import", "tsx", "test/local/emulators/fixtures/spawnGroupThenWait.ts"],
      {
        cwd: REPO_ROOT,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      parent.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /group=\d+ child=\d+/.exec(out);
        if (match) resolve(match[0]);
      });
      parent.once("exit", () => reject(new Error(`fixture exited early: ${out}`)));
    });
    const [group, child] = [...line.matchAll(/\d+/g)].map((m) => Number(m[0]));
    expect(groupAlive(group!)).toBe(true);
    parent.kill("SIGKILL");
    const deadline = Date.now() + 10_000;
    while (groupAlive(group!) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(groupAlive(group!)).toBe(false);
    expect(alive(child!)).toBe(false);
  });
});

/**
 * A process whose main thread exited while another thread still runs: its /proc state is "Z"
 * (as a killed JVM's is while its threads are torn down, 1-4 s with the port still bound). The
 * main thread leaves through pthread_exit (ctypes), the other thread sleeps.
 */
const HALF_EXITED = [
  "import ctypes, os, threading, time",
  "threading.Thread(target=lambda: time.sleep(60)).start()",
  "print(f'pid={os.getpid()}', flush=True)",
  "ctypes.CDLL(None).pthread_exit(None)",
].join("\n");

describe("processRunning", () => {
  it("counts a process whose main thread is a zombie but whose other threads run as running, until they end", async () => {
    const child = spawn("python3", ["-c", HALF_EXITED], { stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const pid = await new Promise<number>((resolve) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /pid=(\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
    });
    const state = () => readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ")[0];
    const deadline = Date.now() + 20_000;
    while (state() !== "Z" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(state()).toBe("Z"); // the main thread is gone: what the old check took for "stopped"
    expect(processRunning(pid)).toBe(true);
    process.kill(pid, "SIGKILL");
    await exited;
    expect(processRunning(pid)).toBe(false);
  });
});
