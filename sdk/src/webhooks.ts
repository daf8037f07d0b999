// Verifying a webhook Herald sent: Standard Webhooks signatures (webhook-id, webhook-timestamp,
// webhook-signature), and the hex X-Signature of endpoints made with "hmac-sha256-hex".
import { createHmac, timingSafeEqual } from "node:crypto";

export class WebhookVerificationError extends Error {
  override name = "WebhookVerificationError";
}

/** Request headers as Node (IncomingHttpHeaders), fetch (Headers) or a plain object give them. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /** How far webhook-timestamp may be from now, in seconds (default 300): replays are refused. */
  toleranceSeconds?: number;
  /** The current time in ms (tests). */
  now?: number;
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") {
    return (headers as Headers).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

/** The key bytes of a `whsec_…` secret: its base64, decoded. */
function keyOf(secret: string): Buffer {
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
  if (key.length === 0) throw new WebhookVerificationError("the secret is empty");
  return key;
}

function same(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks that `body` (the raw request body, byte for byte: not re-serialized JSON) was signed
 * by Herald with `secret`, and answers the parsed payload. Throws WebhookVerificationError
 * otherwise. Takes either scheme: webhook-signature (any of its `v1,…` signatures, so both
 * secrets verify during a rotation) within the timestamp tolerance, or, without it,
 * x-signature.
 */
export function verifyWebhook(
  secret: string,
  body: string | Uint8Array,
  headers: WebhookHeaders,
  options: VerifyOptions = {},
): unknown {
  const raw = typeof body === "string" ? Buffer.from(body) : Buffer.from(body);
  const key = keyOf(secret);
  const signatures = header(headers, "webhook-signature");
  if (signatures !== undefined) {
    const id = header(headers, "webhook-id");
    const timestamp = header(headers, "webhook-timestamp");
    if (!id || !timestamp || !/^\d+$/.test(timestamp)) {
      throw new WebhookVerificationError("webhook-id or webhook-timestamp is missing");
    }
    const now = Math.floor((options.now ?? Date.now()) / 1000);
    if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) {
      throw new WebhookVerificationError("webhook-timestamp is too far from now");
    }
    const expected = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(raw).digest();
    const ok = signatures
      .split(" ")
      .some((s) => s.startsWith("v1,") && same(Buffer.from(s.slice(3), "base64"), expected));
    if (!ok) throw new WebhookVerificationError("no signature matches");
  } else {
    const hex = header(headers, "x-signature");
    if (hex === undefined) throw new WebhookVerificationError("the request is not signed");
    const expected = createHmac("sha256", key).update(raw).digest();
    if (!/^[0-9a-f]+$/i.test(hex) || !same(Buffer.from(hex, "hex"), expected)) {
      throw new WebhookVerificationError("x-signature does not match");
    }
  }
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw new WebhookVerificationError("the body is not JSON");
  }
}
