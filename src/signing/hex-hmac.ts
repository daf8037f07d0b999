// The simple schemes some receivers are built for: `X-Signature: <hex HMAC-SHA256 of the body>`.
// No id, no timestamp (so no replay protection: that is what Standard Webhooks adds).
// - hmac-sha256-hex: keyed like Standard Webhooks, with the bytes of the base64 after `whsec_`.
// - seed-000 (the seed dispatcher's way): keyed with the secret string itself (UTF-8), a shared
//   secret the receiver already has, and the event's id added to the body as `event_id`.
import { createHmac } from "node:crypto";
import { keyOf } from "./standard-webhooks.ts";

/** Lower-case hex of HMAC-SHA256(key of `secret`, body). */
export function hexSignature(secret: string, body: string | Buffer): string {
  return createHmac("sha256", keyOf(secret)).update(body).digest("hex");
}

/** A seed shared secret as Herald takes one: 8–200 printable ASCII characters, no spaces. */
export const isSharedSecret = (secret: string) => /^[\x21-\x7e]{8,200}$/.test(secret);

/** Lower-case hex of HMAC-SHA256(UTF-8 of `secret`, body): seed 000's `X-Signature`. */
export function sharedSecretSignature(secret: string, body: string | Buffer): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/**
 * Seed 000's body: a JSON object payload with `event_id` added (last, replacing one the payload
 * had). Other payloads (arrays, strings, numbers, null, a non-JSON body relayed from a source) have
 * no place for it and go unchanged;
 * the id is in `webhook-id` either way.
 */
export function withEventId(payload: string, eventId: string): string {
  if (!payload.trimStart().startsWith("{")) return payload;
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(payload);
  } catch {
    return payload; // a source's body relayed as it came (it need not be JSON)
  }
  delete value.event_id;
  value.event_id = eventId;
  return JSON.stringify(value);
}
