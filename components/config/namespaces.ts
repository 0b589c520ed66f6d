/**
 * Stack config keys outside the platform's namespace. Pulumi hands a program every key of
 * the stack file, and one in a misspelt namespace (`streaming-inferance:failoverMode`) is
 * otherwise silently ignored: the stack deploys with the default. Keys are checked against
 * the namespaces something reads, and reported in the style of a misspelt key.
 */
import { CONFIG_NAMESPACE } from "./errors";
import { closest } from "./suggest";

/** Namespaces read besides the platform's: Pulumi's own and the providers the components use. */
export const READ_NAMESPACES: readonly string[] = ["pulumi", "gcp", "docker"];

export interface NamespaceOptions {
  /** The Pulumi project (its own keys, `<project>:key`, are the program's). */
  project?: string;
  /** Other namespaces the program reads (e.g. another provider's, `aws`). */
  otherNamespaces?: readonly string[];
}

/** One line per key that nothing reads, naming the key and the fix. */
export function namespaceProblems(all: Record<string, unknown>, options: NamespaceOptions = {}): string[] {
  const known = [
    ...new Set([
      CONFIG_NAMESPACE,
      ...READ_NAMESPACES,
      ...(options.project ? [options.project] : []),
      ...(options.otherNamespaces ?? []),
    ]),
  ];
  const problems: string[] = [];
  for (const key of Object.keys(all)) {
    const colon = key.indexOf(":");
    if (colon < 0) {
      problems.push(`${key} has no namespace; write it as ${CONFIG_NAMESPACE}:${key} or remove it`);
      continue;
    }
    const namespace = key.slice(0, colon);
    if (known.includes(namespace)) continue;
    const rest = key.slice(colon + 1);
    const intended = closest(namespace, known);
    if (intended !== undefined) {
      problems.push(
        `${key} is in unknown namespace "${namespace}", so nothing reads it; did you mean ${intended}:${rest}? fix the spelling`,
      );
    } else {
      problems.push(
        `${key} is in unknown namespace "${namespace}", so nothing reads it (known: ${known.join(", ")}); remove it or fix the spelling`,
      );
    }
  }
  return problems;
}
