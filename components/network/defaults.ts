/** Defaults of the network: the stack config's `network` section applies them. */
export const NETWORK_DEFAULTS = {
  /** A /16 the per-region /20 subnets are carved from, in the order of `regions`. */
  baseCidr: "10.10.0.0/16",
  /** Range reserved for private services access (Vertex AI peering). */
  privateServicesCidr: "10.100.0.0/16",
} as const;
