/**
 * One circuit per dependency. A failure that is the dependency's (`outage.ts`) opens its
 * circuit: the worker stops taking work and holds what it has, the circuit probes the
 * dependency with a cheap call (`dependencyChecks.ts`) on a capped backoff, and closes when
 * the dependency answers; once every circuit is closed the held work resumes. Holding keeps
 * the messages' leases (the Pub/Sub client extends them while they are unsettled), so an
 * outage spends no delivery attempt; a nack would spend one.
 */
import type { Logger } from "./logger";
import type { Dependency } from "./outage";
import { sleep } from "./retry";

/** Resolves when the dependency answers; rejects with the outage while it does not. */
export type Probe = () => Promise<void>;

export interface CircuitSettings {
  /** First wait before a probe, ms. */
  firstProbeAfterMs: number;
  /** Longest wait between probes, ms. */
  maxProbeIntervalMs: number;
}

export const DEFAULT_CIRCUIT_SETTINGS: CircuitSettings = {
  firstProbeAfterMs: 500,
  maxProbeIntervalMs: 5_000,
};

export interface OpenCircuit {
  dependency: Dependency;
  /** Why it opened (the failure's message). */
  reason: string;
  /** Epoch ms when it opened. */
  since: number;
  /** Probes that failed since it opened. */
  failedProbes: number;
}

export interface CircuitsDeps {
  probes: Partial<Record<Dependency, Probe>>;
  logger: Logger;
  settings?: CircuitSettings;
  /** Seconds a circuit stayed open, reported as they pass (a counter in Cloud Monitoring). */
  onOpenSeconds?: (dependency: Dependency, seconds: number) => void;
  now?: () => number;
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Delay before probe number `n` (0-based): doubling from the first, capped. */
export function probeDelayMs(n: number, settings: CircuitSettings): number {
  return Math.min(settings.maxProbeIntervalMs, settings.firstProbeAfterMs * 2 ** n);
}

export class Circuits {
  private readonly open = new Map<Dependency, OpenCircuit>();
  private readonly closedListeners = new Set<() => void>();
  private readonly stopping = new AbortController();
  private readonly settings: CircuitSettings;
  private readonly now: () => number;
  private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly deps: CircuitsDeps) {
    this.settings = deps.settings ?? DEFAULT_CIRCUIT_SETTINGS;
    this.now = deps.now ?? Date.now;
    this.wait = deps.wait ?? sleep;
  }

  /** True while any circuit is open: take no new work. */
  get anyOpen(): boolean {
    return this.open.size > 0;
  }

  isOpen(dependency: Dependency): boolean {
    return this.open.has(dependency);
  }

  /** The open circuits, for the health endpoint and logs. */
  openCircuits(): OpenCircuit[] {
    return [...this.open.values()].map((circuit) => ({ ...circuit }));
  }

  /** Calls `listener` each time the last open circuit closes. Returns a remover. */
  onAllClosed(listener: () => void): () => void {
    this.closedListeners.add(listener);
    return () => this.closedListeners.delete(listener);
  }

  /** Opens `dependency`'s circuit (no-op if open) and starts probing it. */
  trip(dependency: Dependency, error: unknown): void {
    if (this.open.has(dependency) || this.stopping.signal.aborted) return;
    const reason = error instanceof Error ? error.message : String(error);
    const circuit: OpenCircuit = { dependency, reason, since: this.now(), failedProbes: 0 };
    this.open.set(dependency, circuit);
    this.deps.logger.error(
      { dependency, reason, code: (error as { code?: unknown } | null)?.code },
      `${dependency} is unavailable: circuit open, holding work and probing`,
    );
    void this.probeUntilAnswered(circuit);
  }

  /** Stops probing (at shutdown); open circuits stay open. */
  stop(): void {
    this.stopping.abort();
  }

  private async probeUntilAnswered(circuit: OpenCircuit): Promise<void> {
    const probe = this.deps.probes[circuit.dependency];
    let reportedAt = circuit.since;
    const report = () => {
      const at = this.now();
      this.deps.onOpenSeconds?.(circuit.dependency, (at - reportedAt) / 1000);
      reportedAt = at;
    };
    for (let n = 0; ; n++) {
      await this.wait(probeDelayMs(n, this.settings), this.stopping.signal);
      if (this.stopping.signal.aborted) return;
      report();
      try {
        // Without a probe, the next attempt of the work itself is the probe.
        await probe?.();
        break;
      } catch (err) {
        circuit.failedProbes += 1;
        circuit.reason = err instanceof Error ? err.message : String(err);
        // Once a minute or so, not on every probe: the circuit's opening was logged already.
        if (circuit.failedProbes % 12 === 1)
          this.deps.logger.warn(
            { dependency: circuit.dependency, reason: circuit.reason, failedProbes: circuit.failedProbes },
            `${circuit.dependency} still unavailable`,
          );
      }
    }
    report();
    this.open.delete(circuit.dependency);
    this.deps.logger.info(
      {
        dependency: circuit.dependency,
        openMs: this.now() - circuit.since,
        failedProbes: circuit.failedProbes,
      },
      `${circuit.dependency} answers again: circuit closed`,
    );
    if (this.open.size === 0) for (const listener of [...this.closedListeners]) listener();
  }
}
