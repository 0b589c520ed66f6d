/**
 * Private Google Access through `private.googleapis.com`: the VIP range, and the DNS
 * records that send `*.googleapis.com` there, so Google API traffic from the VPC stays
 * on Google's network and the egress firewall can allow exactly this range.
 * https://cloud.google.com/vpc/docs/configure-private-google-access#config-domain
 */
export const PRIVATE_GOOGLE_APIS = {
  domain: "private.googleapis.com.",
  /** The four VIPs of private.googleapis.com. */
  cidr: "199.36.153.8/30",
  addresses: ["199.36.153.8", "199.36.153.9", "199.36.153.10", "199.36.153.11"],
  /** The private zone that sends Google APIs there, and its catch-all record. */
  zone: "googleapis.com.",
  wildcard: "*.googleapis.com.",
} as const;

/** Ranges of Google's health-check probers (for load balancers; kept for a future ingress rule). */
export const GOOGLE_HEALTH_CHECK_RANGES = ["35.191.0.0/16", "130.211.0.0/22"] as const;
