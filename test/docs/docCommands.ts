/**
 * The commands the READMEs and docs show a user: every `npm ...` / `npx ...` line of a
 * fenced block, and every inline `npm ...` span that is a command rather than a syntax
 * summary (no `[`, `<`, `|`, `...`).
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface DocCommand {
  /** Relative to the repository root, with the line number. */
  where: string;
  command: string;
  /**
   * From a fenced block: a full command line. Inline: a bare `npm run plan` may only name
   * the command in a sentence, so only its script is checked unless it passes options.
   */
  fenced: boolean;
}

const SKIP_DIRS = new Set(["node_modules", ".git", "dist", ".local", "bench-results"]);

/** Every Markdown file of the repository outside dependencies and outputs. */
export function markdownFiles(root: string, dir = root): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) found.push(...markdownFiles(root, path.join(dir, entry.name)));
    } else if (entry.name.endsWith(".md")) {
      found.push(path.relative(root, path.join(dir, entry.name)));
    }
  }
  return found.sort();
}

const isCommand = (text: string) => /^(npm|npx) /.test(text);
/** `[--json f]`, `<file>`, `a|b`, `...`, or an upper-case placeholder (`--workers N`, `--json FILE`). */
const isSyntaxSummary = (text: string) => /[[<|]|\.\.\.|\s[A-Z][A-Z_]*(\s|$)/.test(text);

export function extractCommands(file: string, markdown: string): DocCommand[] {
  const commands: DocCommand[] = [];
  let fenced = false;
  markdown.split("\n").forEach((line, index) => {
    const where = `${file}:${index + 1}`;
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return;
    }
    if (fenced) {
      const withoutComment = line.replace(/\s+#.*$/, "").trim();
      for (const part of withoutComment.split("&&").map((p) => p.trim())) {
        // A line with a <placeholder> shows a form to fill in, not a command to run as is.
        if (isCommand(part) && !/<[^>]+>/.test(part)) commands.push({ where, command: part, fenced: true });
      }
      return;
    }
    for (const match of line.matchAll(/`([^`]+)`/g)) {
      const span = match[1]!.trim();
      if (isCommand(span) && !isSyntaxSummary(span)) commands.push({ where, command: span, fenced: false });
    }
  });
  return commands;
}
