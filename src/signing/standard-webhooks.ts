// Standard Webhooks signing (https://www.standardwebhooks.com): the signature is
// base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)) where key is the base64 part of the
// endpoint's `whsec_…` secret. Several signatures are space-separated (secret rotation).
import { createHmac, randomBytes } from "node:crypto";

const PREFIX = "whsec_";

/** A new endpoint secret: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return PREFIX + randomBytes(32).toString("base64");
}

/** Accepts `whsec_` + base64 of 24–64 bytes (the and Svix's bounds). */
export function isValidSecret(secret: string): boolean {
  if (!secret.startsWith(PREFIX)) return false;
  const b64 = secret.slice(PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) return false;
  const n = Buffer.from(b64, "base64").length;
  return n >= 24 && n <= 64;
}

/**
 * The HMAC key of a secret: the base64-decoded part after `whsec_` (the same key bytes for
 * Standard Webhooks and the hex scheme). Cached per secret string: decoding on every attempt
 * is wasted work.
 */
const keys = new Map<string, Buffer>();
export function keyOf(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, "base64");
    if (keys.size > 10_000) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/** `v1,<base64 signature>` for one secret. */
export function sign(secret: string, id: string, timestamp: number, body: string | Buffer): string {
  const mac = createHmac("sha256", keyOf(secret));
  mac.update(`${id}.${timestamp}.`);
  mac.update(body);
  return `v1,${mac.digest("base64")}`;
}

/** The three Standard Webhooks headers of one attempt, signed with every given secret. */
export function signatureHeaders(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string | Buffer,
): Record<string, string> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": secrets.map((s) => sign(s, id, timestamp, body)).join(" "),
  };
}
