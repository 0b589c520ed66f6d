/**
 * `npm run schema [-- --out schema.json]`: the package schema the engine gets from the plugin
 * (GetSchema): the components' schema inferred from the TypeScript source, and the custom
 * resource `streaming-inference:index:ModelDeployment`. Printed, or written to `--out`.
 * Exit codes: 0 written; 1 the schema could not be generated; 2 bad arguments.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { PackageProvider } from "../components/packagePlugin/packageProvider";

const REPO_ROOT = path.resolve(__dirname, "..");

async function main(): Promise<void> {
  let out: string | undefined;
  try {
    ({
      values: { out },
    } = parseArgs({ options: { out: { type: "string" } } }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\nusage: npm run schema [-- --out schema.json]\n`);
    process.exit(2);
  }
  const schema = JSON.parse(await new PackageProvider({ dirname: REPO_ROOT }).getSchema()) as {
    resources: Record<string, { isComponent?: boolean }>;
  };
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  if (out === undefined) {
    process.stdout.write(text);
    return;
  }
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, text);
  const kinds = Object.entries(schema.resources).map(
    ([token, r]) => `  ${r.isComponent ? "component" : "resource "} ${token}`,
  );
  process.stdout.write(`Wrote ${out}:\n${kinds.join("\n")}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
