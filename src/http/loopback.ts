// Loopback names: where Herald may serve something without a key (HERALD_SEED_API=open), and
// the Host a request must name to use it. A web page cannot reach such a route through DNS
// rebinding: its requests name the attacker's host, not one of these.
import ipaddr from "ipaddr.js";

/** `localhost`, `*.localhost`, 127.0.0.0/8 or ::1 (brackets allowed). */
export function isLoopbackName(name: string): boolean {
  const host = name.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (!ipaddr.isValid(host)) return false;
  const address = ipaddr.process(host);
  return address.range() === "loopback";
}

/** The host a Host header or an origin names, without its port; undefined when malformed. */
export function hostOf(authority: string): string | undefined {
  const m = authority.match(/^(\[[0-9a-fA-F:.]+\]|[^:[\]/]+)(?::\d{1,5})?$/);
  return m?.[1];
}
