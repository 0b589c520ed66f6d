/** Prints policy violations grouped by policy, the way a reviewer reads them. */
import type { Violation } from "./offline";

export function hasMandatoryViolations(violations: readonly Violation[]): boolean {
  return violations.some((v) => v.level === "mandatory");
}

/** `Policy violations: 2 mandatory, 1 advisory` then, per policy, one line per violation. */
export function formatViolations(violations: readonly Violation[]): string {
  if (violations.length === 0) return "Policy violations: none";
  const mandatory = violations.filter((v) => v.level === "mandatory").length;
  const lines = [`Policy violations: ${mandatory} mandatory, ${violations.length - mandatory} advisory`];
  const byPolicy = new Map<string, Violation[]>();
  for (const v of violations) byPolicy.set(v.policy, [...(byPolicy.get(v.policy) ?? []), v]);
  for (const [policy, list] of byPolicy) {
    lines.push(`  ${policy} [${list[0]?.level}] (${list.length})`);
    for (const v of list) lines.push(`    - ${v.message}`);
  }
  return lines.join("\n");
}
