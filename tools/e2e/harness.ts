/**
 * The end-to-end check of a real deployment, as orchestration over injected parts, so its
 * logic is tested here with fakes (test/tools/e2e) while `npm run e2e` wires Pulumi's Automation
 * API and the Google clients (cloud.ts):
 *   1. `up`;  2. `preview`, which must want no change (the second run of a program is a no-op);
 *   3. publish N events, wait for N predictions on the output topic and N rows in BigQuery,
 *      and measure publish -> prediction latency;  4. `destroy`, only when asked (`--destroy`):
 *      by default the stack a user deployed is kept, whatever happened.
 */
import { percentile } from "../../local/outcomes/percentiles";

/** Pulumi operation counts, as the Automation API's `changeSummary` reports them. */
export type ChangeSummary = Partial<Record<string, number>>;

/** The stack under test (Automation API's `Stack`, narrowed to what the harness uses). */
export interface E2eStack {
  up(): Promise<{ outputs: Record<string, unknown> }>;
  preview(): Promise<{ changeSummary: ChangeSummary }>;
  destroy(): Promise<void>;
}

/** Predictions seen on the output topic, by input message id, with the time each arrived. */
export interface PredictionWatch {
  seen(): ReadonlyMap<string, number>;
  close(): Promise<void>;
}

/** The data path of the deployed stack (Pub/Sub and BigQuery clients, narrowed). */
export interface E2eClients {
  /** Starts watching the predictions topic; call before publishing, so nothing is missed. */
  watchPredictions(): Promise<PredictionWatch>;
  /** Publishes events; resolves with each one's Pub/Sub message id, in order. */
  publish(events: readonly object[]): Promise<string[]>;
  /** How many of these input message ids have a row in the predictions table. */
  countRows(messageIds: readonly string[]): Promise<number>;
}

export interface E2eOptions {
  events: number;
  /** Destroy the stack afterwards (default: keep it). */
  destroy: boolean;
  /** How long to wait for the predictions, and then for the rows. */
  timeoutMs: number;
  pollMs: number;
}

export interface E2eDeps {
  stack: E2eStack;
  /** Clients for the stack's outputs (topics, table), made after `up`. */
  clients(outputs: Record<string, unknown>): Promise<E2eClients>;
  /** The events to publish (e.g. of the current `contract/messages.ts` shape). */
  makeEvents(count: number): object[];
  now(): number;
  sleep(ms: number): Promise<void>;
  log(line: string): void;
}

export interface E2eReport {
  ok: boolean;
  failures: string[];
  /** Operations the preview after `up` wanted, other than `same`. Empty when idempotent. */
  previewChanges: Record<string, number>;
  published: number;
  predicted: number;
  rows: number;
  /** Publish -> prediction on the output topic, ms. */
  latencyMs: { p50: number; p95: number; max: number };
  destroyed: boolean;
}

/** Operations other than `same` with a count, e.g. `{ update: 2 }`. */
export function changesOf(summary: ChangeSummary): Record<string, number> {
  return Object.fromEntries(
    Object.entries(summary).filter((e): e is [string, number] => e[0] !== "same" && (e[1] ?? 0) > 0),
  );
}

/** Polls `count` until it reaches `target` or the time is up; returns the last count. */
async function waitFor(
  deps: E2eDeps,
  options: E2eOptions,
  target: number,
  count: () => Promise<number> | number,
): Promise<number> {
  const deadline = deps.now() + options.timeoutMs;
  let last = await count();
  while (last < target && deps.now() < deadline) {
    await deps.sleep(options.pollMs);
    last = await count();
  }
  return last;
}

export async function runE2e(deps: E2eDeps, options: E2eOptions): Promise<E2eReport> {
  const failures: string[] = [];
  const report: E2eReport = {
    ok: false,
    failures,
    previewChanges: {},
    published: 0,
    predicted: 0,
    rows: 0,
    latencyMs: { p50: 0, p95: 0, max: 0 },
    destroyed: false,
  };
  try {
    deps.log("pulumi up");
    const { outputs } = await deps.stack.up();

    deps.log("pulumi preview (expecting no changes)");
    report.previewChanges = changesOf((await deps.stack.preview()).changeSummary);
    const wanted = Object.entries(report.previewChanges).map(([op, n]) => `${op} ${n}`);
    if (wanted.length > 0)
      failures.push(`preview after up wants changes (${wanted.join(", ")}): the program is not idempotent`);

    const clients = await deps.clients(outputs);
    const watch = await clients.watchPredictions();
    try {
      deps.log(`publishing ${options.events} events`);
      const publishedAt = deps.now();
      const ids = await clients.publish(deps.makeEvents(options.events));
      report.published = ids.length;

      report.predicted = await waitFor(
        deps,
        options,
        ids.length,
        () => ids.filter((id) => watch.seen().has(id)).length,
      );
      deps.log(`predictions on the output topic: ${report.predicted}/${ids.length}`);
      if (report.predicted < ids.length) {
        failures.push(
          `${ids.length - report.predicted} of ${ids.length} events got no prediction within ${options.timeoutMs} ms`,
        );
      }
      const latencies = ids
        .map((id) => watch.seen().get(id))
        .filter((t): t is number => t !== undefined)
        .map((t) => t - publishedAt)
        .sort((a, b) => a - b);
      report.latencyMs = {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        max: latencies.at(-1) ?? 0,
      };

      report.rows = await waitFor(deps, options, ids.length, () => clients.countRows(ids));
      deps.log(`rows in BigQuery: ${report.rows}/${ids.length}`);
      if (report.rows < ids.length) {
        failures.push(
          `${ids.length - report.rows} of ${ids.length} predictions have no BigQuery row within ${options.timeoutMs} ms`,
        );
      }
    } finally {
      await watch.close();
    }
  } catch (err) {
    failures.push(`failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    if (!options.destroy) {
      deps.log("keeping the stack (destroy it with --destroy, or see docs/deploying.md#teardown)");
    } else {
      deps.log("pulumi destroy");
      try {
        await deps.stack.destroy();
        report.destroyed = true;
      } catch (err) {
        failures.push(
          `destroy failed: ${err instanceof Error ? err.message : String(err)}; run \`pulumi destroy\``,
        );
      }
    }
  }
  report.ok = failures.length === 0;
  return report;
}
