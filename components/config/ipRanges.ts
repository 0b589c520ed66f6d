/**
 * IP ranges Google would refuse in one VPC: a private services access range that overlaps a
 * subnet ("the allocated range ... must not overlap with any subnet range in the VPC network",
 * VPC docs "Configure private services access", https://cloud.google.com/vpc/docs/configure-private-services-access),
 * or the private.googleapis.com VIPs the VPC routes to Google (components/network/googleApis.ts).
 */
import { PRIVATE_GOOGLE_APIS } from "../network/googleApis";

/** [first, last] address of an IPv4 CIDR, as numbers; undefined if it is not one. */
export function cidrBounds(cidr: string): [number, number] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const bits = Number(match[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const address = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const first = Math.floor(address / size) * size;
  return [first, first + size - 1];
}

export function overlaps(a: string, b: string): boolean {
  const x = cidrBounds(a);
  const y = cidrBounds(b);
  return x !== undefined && y !== undefined && x[0] <= y[1] && y[0] <= x[1];
}

/** Problems with the private services range against the VPC's other ranges: `[what it overlaps, range]`. */
export function privateServicesRangeProblems(
  privateServicesCidr: string,
  subnets: Record<string, string>,
): string[] {
  const others: [string, string][] = [
    ...Object.entries(subnets).map(([region, cidr]): [string, string] => [`the ${region} subnet`, cidr]),
    ["the private.googleapis.com VIPs", PRIVATE_GOOGLE_APIS.cidr],
  ];
  return others
    .filter(([, cidr]) => overlaps(privateServicesCidr, cidr))
    .map(
      ([what, cidr]) =>
        `overlaps ${what} (${cidr}); choose a range outside network.baseCidr and ${PRIVATE_GOOGLE_APIS.cidr}`,
    );
}
