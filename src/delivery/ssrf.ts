// Server-side request forgery guard: endpoints are URLs chosen by API users, so Herald must not
// be made to call its own network (loopback, private ranges, link-local cloud metadata at
// 169.254.169.254, …). The check runs on the address actually connected to (a DNS lookup
// hook on the socket), so a name that resolves to a private address, or starts to later
// (DNS rebinding), is refused as well as an IP literal.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

export const SSRF_CODE = "HERALD_SSRF_BLOCKED";

/** True for globally routable unicast addresses only. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) {
    ip = (ip as ipaddr.IPv6).toIPv4Address();
  }
  return ip.range() === "unicast";
}

function blocked(host: string, address: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(
    `${host} resolves to ${address}, which is not a public address (set HERALD_ALLOW_PRIVATE_NETWORKS=true to allow)`,
  );
  err.code = SSRF_CODE;
  return err;
}

/** The error for a URL whose host is a non-public IP literal, or undefined. */
export function checkLiteralHost(hostname: string): NodeJS.ErrnoException | undefined {
  const host = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  if (isIP(host) && !isPublicAddress(host)) return blocked(host, host);
  return undefined;
}

/** A `lookup` for sockets that fails with SSRF_CODE when any resolved address is not public. */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, "", 0);
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad) return callback(blocked(hostname, bad.address), "", 0);
    if (options.all)
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0] as LookupAddress;
    callback(null, first.address, first.family);
  });
};
