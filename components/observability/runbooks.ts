/**
 * Where each alert's runbook is: a section of docs/runbooks.md, linked from the alert policy's
 * documentation (Cloud Monitoring renders it as markdown in the incident and the notification).
 * The base is configurable (`alerts.runbookBaseUrl`, e.g. the file on your Git host); the default
 * is the path in this repository. test/components/observability/runbooks.test.ts checks that
 * every link's anchor is a heading of docs/runbooks.md.
 */

/** The runbook base when the config sets none: the file's path in the repository. */
export const DEFAULT_RUNBOOK_BASE_URL = "docs/runbooks.md";

/** The heading of each runbook section, by alert. */
export const RUNBOOK_SECTIONS = {
  "freshness-burn": "Freshness SLO is burning its error budget",
  "correctness-burn": "Correctness SLO is burning its error budget",
  backlog: "Input backlog is growing",
  "dead-letters": "Dead letters are accumulating",
  "vertex-error-rate": "Model endpoint returns errors",
  "vertex-latency": "Model endpoint is slow",
  "worker-down": "Worker pool has no running instance",
  "dependency-outage": "Worker circuit open",
} as const;

export type RunbookKey = keyof typeof RUNBOOK_SECTIONS;

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The URL of an alert's runbook section. */
export function runbookUrl(key: RunbookKey, base: string = DEFAULT_RUNBOOK_BASE_URL): string {
  return `${base.replace(/#.*$/, "")}#${headingAnchor(RUNBOOK_SECTIONS[key])}`;
}

/** The documentation of an alert policy: what fired, what to check first, what to do, and the link. */
export function alertDocumentation(
  key: RunbookKey,
  parts: { fired: string; checkFirst: string; act: string },
  base?: string,
): string {
  return [
    `**What fired:** ${parts.fired}`,
    `**Check first:** ${parts.checkFirst}`,
    `**What to do:** ${parts.act}`,
    `**Runbook:** [${RUNBOOK_SECTIONS[key]}](${runbookUrl(key, base)})`,
  ].join("\n\n");
}
