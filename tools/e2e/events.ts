/**
 * The events `npm run e2e` publishes: today's input contract (contract/messages.ts,
 * `InferenceEvent`), each with a unique `eventId`. A template (`--event '<json>'`) supplies
 * what the deployed model needs (its entity, inline features); without one, each event names
 * an entity whose features must be in Bigtable.
 */
export function e2eEvents(count: number, runId: string, template: Record<string, unknown> = {}): object[] {
  return Array.from({ length: count }, (_, i) => ({
    entityId: `e2e-entity-${i % 10}`,
    ...template,
    eventId: `e2e-${runId}-${i}`,
    eventTime: new Date().toISOString(),
  }));
}
