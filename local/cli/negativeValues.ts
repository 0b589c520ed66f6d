/**
 * Node's `util.parseArgs` takes `--rate -5` for an option followed by another option and
 * refuses it ("argument is ambiguous"), so the user never learns the allowed range.
 * Joining a negative number to the option before it (`--rate=-5`) lets the command's own
 * check name the option, the value and what is allowed.
 */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/** `["--rate", "-5"]` -> `["--rate=-5"]`; everything else unchanged (`--` ends options). */
export function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (arg === "--") return [...out, ...argv.slice(i)];
    if (/^--[^=]+$/.test(arg) && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}
