import { SUBSCRIPTION_DEFAULTS } from "../../contract";

/**
 * Defaults of messaging: the stack config's `messaging` section, `MessageChannel` and
 * `DeadLetterTopic` all apply them. The subscription settings are in contract/ (the worker
 * leases for the ack deadline).
 */
export const MESSAGING_DEFAULTS = {
  ...SUBSCRIPTION_DEFAULTS,
  /** Any producer can publish; see `MessageChannelArgs.enforceInTransit`. */
  enforceInTransit: false,
} as const;
