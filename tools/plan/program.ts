/**
 * `--program <file | dir>` for the offline plan: which file to run, the Pulumi project it
 * belongs to, and its stack files. A directory is a Pulumi project: its `Pulumi.yaml`
 * names the project and (`main`) the entry point, `index.ts` by default.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";

export interface ProgramLocation {
  /** The file to run. */
  entry: string;
  /** The project's directory (where `Pulumi.<stack>.yaml` files live). */
  dir: string;
  /** `name` from the project's `Pulumi.yaml`, when there is one. */
  project?: string;
}

export function locateProgram(program: string): ProgramLocation {
  const resolved = path.resolve(program);
  const isDir = fs.existsSync(resolved) && fs.statSync(resolved).isDirectory();
  const dir = isDir ? resolved : path.dirname(resolved);
  const projectFile = path.join(dir, "Pulumi.yaml");
  const project = fs.existsSync(projectFile)
    ? (parseYaml(fs.readFileSync(projectFile, "utf8")) as { name?: string; main?: string } | null)
    : null;
  let entry = resolved;
  if (isDir) {
    const main = path.resolve(dir, project?.main ?? ".");
    entry = fs.existsSync(main) && fs.statSync(main).isDirectory() ? path.join(main, "index.ts") : main;
  }
  if (!fs.existsSync(entry)) throw new Error(`stack program ${entry} does not exist`);
  return { entry, dir, project: project?.name };
}

/** True when `file` lies outside `root`. */
export function isOutside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel.startsWith("..") || path.isAbsolute(rel);
}
