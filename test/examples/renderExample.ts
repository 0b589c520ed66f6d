/**
 * Renders examples/platform under the mock runtime and writes what it registered as JSON:
 * `tsx test/examples/renderExample.ts <config.json> <out.json>`. A process of its own:
 * the mock runtime holds one stack per process, and tsx resolves the package's name
 * through the root tsconfig's `paths`, as the type-check does.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { installMocks, settle } from "../../tools/plan/mocks";

async function main(): Promise<void> {
  const [configFile, out] = process.argv.slice(2);
  if (!configFile || !out) throw new Error("usage: renderExample.ts <config.json> <out.json>");
  const config = JSON.parse(fs.readFileSync(configFile, "utf8")) as Record<string, unknown>;
  const recorder = await installMocks({
    project: "streaming-inference-example",
    stack: "dev",
    config,
    gcpProject: String(config["streaming-inference-example:projectId"]),
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- running the stack program is the point
  require(path.resolve(__dirname, "../../examples/platform/index.ts"));
  await settle();
  fs.writeFileSync(out, JSON.stringify({ resources: recorder.resources }));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
