// Verifying an inbound request's signature exactly as its provider defines it, over the raw
// body bytes. Every comparison of a computed signature is timing-safe: an attacker must not
// learn how many leading bytes of a guess were right.
import { createHmac, timingSafeEqual } from "node:crypto";
import { keyOf } from "../signing/standard-webhooks.ts";

export type Provider = "stripe" | "github" | "standard-webhooks" | "hmac" | "none";
export const providers: readonly Provider[] = [
  "stripe",
  "github",
  "standard-webhooks",
  "hmac",
  "none",
];

/** Options of a source; `header`, `digest`, `encoding` and `prefix` are for provider hmac. */
export interface SourceOptions {
  header?: string;
  digest?: "sha1" | "sha256" | "sha512";
  encoding?: "hex" | "base64";
  prefix?: string;
  /** hmac and none: the header holding the sender's delivery id (idempotency key). */
  id_header?: string;
  /** The event type when the provider does not name one (default "webhook"). */
  event_type?: string;
  /** hmac and none: the top-level JSON body field holding the delivery id (string or integer). */
  id_field?: string;
  /** hmac and none: the top-level JSON body field holding the event type. */
  type_field?: string;
}

/** Stripe's and Standard Webhooks' default tolerance between the signed timestamp and now. */
export const TOLERANCE_SECONDS = 300;

export type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Equal strings, compared in time independent of where they differ. */
function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const hmac = (alg: string, key: string | Buffer, ...parts: (string | Buffer)[]) => {
  const mac = createHmac(alg, key);
  for (const p of parts) mac.update(p);
  return mac;
};

function withinTolerance(timestamp: string | undefined, nowMs: number): boolean {
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= TOLERANCE_SECONDS;
}

/**
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`, each v1 an HMAC-SHA256 keyed with
 * the whole `whsec_…` string over `${t}.${body}`. Any matching v1 passes (secret rotation).
 */
function stripe(secret: string, headers: Headers, body: Buffer, nowMs: number): boolean {
  const value = header(headers, "stripe-signature");
  if (!value) return false;
  let t: string | undefined;
  const v1: string[] = [];
  for (const item of value.split(",")) {
    const eq = item.indexOf("=");
    const k = item.slice(0, eq).trim();
    const v = item.slice(eq + 1).trim();
    if (k === "t") t = v;
    else if (k === "v1") v1.push(v);
  }
  if (!withinTolerance(t, nowMs) || !v1.length) return false;
  const expected = hmac("sha256", secret, `${t}.`, body).digest("hex");
  // Every candidate is compared: no early exit that would time which one matched.
  return v1.map((s) => safeEqual(s, expected)).includes(true);
}

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`. */
function github(secret: string, headers: Headers, body: Buffer): boolean {
  const value = header(headers, "x-hub-signature-256");
  if (!value) return false;
  return safeEqual(value, `sha256=${hmac("sha256", secret, body).digest("hex")}`);
}

/**
 * A Standard Webhooks header, or Svix's name for it (`svix-id`, `svix-timestamp`,
 * `svix-signature`: the same scheme under the names Svix sends).
 */
export function standardHeader(headers: Headers, name: "id" | "timestamp" | "signature") {
  return header(headers, `webhook-${name}`) ?? header(headers, `svix-${name}`);
}

/**
 * Standard Webhooks: `webhook-signature` holds space-separated `v1,<base64>` over
 * `${webhook-id}.${webhook-timestamp}.${body}`, keyed with the base64 part of `whsec_…`.
 */
function standardWebhooks(secret: string, headers: Headers, body: Buffer, nowMs: number): boolean {
  const id = standardHeader(headers, "id");
  const ts = standardHeader(headers, "timestamp");
  const sigs = standardHeader(headers, "signature");
  if (!id || !sigs || !withinTolerance(ts, nowMs)) return false;
  const expected = hmac("sha256", keyOf(secret), `${id}.${ts}.`, body).digest("base64");
  return sigs
    .split(" ")
    .map((s) => s.startsWith("v1,") && safeEqual(s.slice(3), expected))
    .includes(true);
}

/** Generic HMAC: `<options.header>: <prefix><hex|base64 HMAC-<digest>(secret, body)>`. */
function genericHmac(secret: string, o: SourceOptions, headers: Headers, body: Buffer): boolean {
  const value = header(headers, o.header ?? "");
  if (!value) return false;
  const digest = hmac(o.digest ?? "sha256", secret, body).digest(o.encoding ?? "hex");
  return safeEqual(value, `${o.prefix ?? ""}${digest}`);
}

export function verifySignature(
  provider: Provider,
  secret: string | null,
  options: SourceOptions,
  headers: Headers,
  body: Buffer,
  nowMs: number,
): boolean {
  if (provider === "none") return true;
  if (secret === null) return false;
  switch (provider) {
    case "stripe":
      return stripe(secret, headers, body, nowMs);
    case "github":
      return github(secret, headers, body);
    case "standard-webhooks":
      return standardWebhooks(secret, headers, body, nowMs);
    case "hmac":
      return genericHmac(secret, options, headers, body);
  }
}

export { header as headerValue };
