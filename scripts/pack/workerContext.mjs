/**
 * `npm pack` / `npm publish` (prepack): copies the worker's Docker build context into
 * `dist/worker-context/`, so a stack that installs the package from a registry can build
 * the worker image (`WorkerImage` picks this folder when the package has no `worker/`).
 * What to copy is read from `worker/Dockerfile.dockerignore`'s allow-list (`!path`), the
 * one list of what the Dockerfile needs; its exclusions (node_modules, dist, tests) hold too.
 * Plain Node (no tsx): it runs wherever `npm pack` does.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import process from "node:process";

const root = path.resolve(import.meta.dirname, "../..");
const out = path.join(root, "dist", "worker-context");
const ignoreFile = path.join(root, "worker", "Dockerfile.dockerignore");

const lines = fs
  .readFileSync(ignoreFile, "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));
const allowed = lines.filter((l) => l.startsWith("!")).map((l) => l.slice(1));
// Exclusions after the allow-list, e.g. `**/*.test.ts`, `**/node_modules`, `**/dist`.
const excluded = lines.filter((l) => !l.startsWith("!") && l !== "**").map((l) => l.replace(/^\*\*\//, ""));
const isExcluded = (name) =>
  excluded.some((pattern) => (pattern.startsWith("*.") ? name.endsWith(pattern.slice(1)) : name === pattern));

function copy(rel) {
  const src = path.join(root, rel);
  if (isExcluded(path.basename(rel))) return;
  if (fs.statSync(src).isDirectory()) {
    for (const entry of fs.readdirSync(src)) copy(path.join(rel, entry));
    return;
  }
  fs.mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
  fs.copyFileSync(src, path.join(out, rel));
}

fs.rmSync(out, { recursive: true, force: true });
for (const pattern of allowed) {
  const rel = pattern.replace(/\/\*\*$/, "");
  if (rel.includes("*")) throw new Error(`${ignoreFile}: unsupported pattern ${pattern}`);
  if (!fs.existsSync(path.join(root, rel)))
    throw new Error(`${ignoreFile} allows ${rel}, which does not exist`);
  copy(rel);
}
// The Dockerfile and its ignore file (BuildKit reads `<Dockerfile>.dockerignore` beside it).
copy(path.join("worker", "Dockerfile"));
copy(path.join("worker", "Dockerfile.dockerignore"));
process.stdout.write(`worker build context: ${path.relative(root, out)}\n`);
