// Server-side request forgery guard: endpoints are URLs chosen by API users, so Herald must not
// be made to call its own network (loopback, private ranges, link-local cloud metadata at
// 169.254.169.254, …). The check runs on the address actually connected to (a DNS lookup
// hook on the socket), so a name that resolves to a private address, or starts to later
// (DNS rebinding), is refused as well as an IP literal.
import { lookup as dnsLookup, promises as dnsPromises, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

export const SSRF_CODE = "HERALD_SSRF_BLOCKED";

/** IPv6's global unicast block: everything public is in it (ipaddr.js calls ::/96 unicast). */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");

/**
 * True for globally routable unicast addresses only. IPv4-mapped IPv6 addresses are judged as
 * the IPv4 address they carry; every other IPv6 address must be in 2000::/3 and not in a
 * special range within it (so ::/96, the deprecated IPv4-compatible form of ::127.0.0.1, the
 * NAT64 prefix, 6to4 and Teredo are refused).
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const ip = ipaddr.parse(address);
  if (ip.kind() === "ipv6") {
    const v6 = ip as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().range() === "unicast";
    return v6.range() === "unicast" && v6.match(GLOBAL_UNICAST_V6);
  }
  return ip.range() === "unicast";
}

/** The refusal; it never says what a name resolved to (that would map an internal network). */
function blocked(host: string, literal: boolean): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(
    `${host} ${literal ? "is" : "resolves to"} not a public address (set HERALD_ALLOW_PRIVATE_NETWORKS=true to allow)`,
  );
  err.code = SSRF_CODE;
  return err;
}

/** The error for a URL whose host is a non-public IP literal, or undefined. */
export function checkLiteralHost(hostname: string): NodeJS.ErrnoException | undefined {
  const host = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  if (isIP(host) && !isPublicAddress(host)) return blocked(host, true);
  return undefined;
}

/** How long saving an endpoint waits for its host name to resolve. */
const SAVE_LOOKUP_MS = 2_000;

/**
 * The check when a URL is saved: an IP literal must be public, and so must every address its
 * host name resolves to now. A name that does not resolve (yet) is accepted; the check at
 * delivery, on the address actually connected to, still applies.
 */
export async function checkDestination(url: URL): Promise<NodeJS.ErrnoException | undefined> {
  const literal = checkLiteralHost(url.hostname);
  if (literal || isIP(url.hostname.replace(/^\[|\]$/g, ""))) return literal;
  let timer: NodeJS.Timeout | undefined;
  const addresses = await Promise.race([
    dnsPromises.lookup(url.hostname, { all: true }).catch(() => []),
    new Promise<LookupAddress[]>((resolve) => {
      timer = setTimeout(() => resolve([]), SAVE_LOOKUP_MS);
    }),
  ]);
  clearTimeout(timer);
  if (addresses.some((a) => !isPublicAddress(a.address))) return blocked(url.hostname, false);
  return undefined;
}

/** A `lookup` for sockets that fails with SSRF_CODE when any resolved address is not public. */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, "", 0);
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad) return callback(blocked(hostname, false), "", 0);
    if (options.all)
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0] as LookupAddress;
    callback(null, first.address, first.family);
  });
};
