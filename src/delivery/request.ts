// The request of one attempt: its body and headers. Standard Webhooks signature (both secrets
// during a rotation), the endpoint's scheme and static headers. Herald's own headers win over
// static ones.
import { RESERVED_HEADERS } from "../endpoints/policy.ts";
import type { Claimed } from "../queue/index.ts";
import type { SecretBox } from "../secrets/box.ts";
import { livePrevious } from "../secrets/grace.ts";
import { hexSignature, sharedSecretSignature, withEventId } from "../signing/hex-hmac.ts";
import { signatureHeaders } from "../signing/standard-webhooks.ts";

/** What an attempt's headers are made of: a claimed delivery, or a test ping. */
export type SignedRow = Pick<
  Claimed,
  | "event_id"
  | "payload"
  | "content_type"
  | "secret"
  | "previous_secret"
  | "previous_secret_expires_at"
  | "signature_scheme"
  | "headers"
>;

/**
 * `timestamp` is this attempt's unix time in seconds. The previous secret signs too while it
 * has not expired at that time; the new secret's signature comes first. `x-signature` has room
 * for one value: it always uses the current secret. Secrets are opened (decrypted) here, from
 * `box`'s memory after the first time. The body is the payload as stored, but for seed-000.
 */
export function attemptRequest(
  row: SignedRow,
  timestamp: number,
  box: SecretBox,
): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = {};
  // Validated on input; filtered again so a row written by other means cannot override ours.
  if (row.headers) {
    for (const [name, value] of Object.entries(row.headers)) {
      if (!RESERVED_HEADERS.has(name.toLowerCase())) headers[name] = value;
    }
  }
  const previous = livePrevious(row, timestamp * 1000);
  const secrets =
    previous === null ? [box.open(row.secret)] : [box.open(row.secret), box.open(previous)];
  headers["content-type"] = row.content_type ?? "application/json";
  headers["user-agent"] = "Herald-Webhooks/0.1";
  if (row.signature_scheme === "seed-000") {
    // The seed's receivers verify X-Signature only; their secret need not be a whsec_ one, so
    // there is no Standard Webhooks signature, but the id and time are sent all the same.
    const body = withEventId(row.payload, row.event_id);
    headers["webhook-id"] = row.event_id;
    headers["webhook-timestamp"] = String(timestamp);
    headers["x-signature"] = sharedSecretSignature(secrets[0] as string, body);
    return { headers, body };
  }
  Object.assign(headers, signatureHeaders(secrets, row.event_id, timestamp, row.payload));
  if (row.signature_scheme === "hmac-sha256-hex") {
    headers["x-signature"] = hexSignature(secrets[0] as string, row.payload);
  }
  return { headers, body: row.payload };
}
