// An endpoint's delivery policy beyond its URL and breaker (breaker.ts): signature scheme and
// static headers, which of them an endpoint may set, and what the audit log may record of
// them. The route schemas check shapes and bounds; this module checks what JSON Schema cannot
// say (reserved names, names equal but for case).
import { HeraldError } from "../errors.ts";
import { isSharedSecret } from "../signing/hex-hmac.ts";
import { isValidSecret } from "../signing/standard-webhooks.ts";

export type SignatureScheme = "standard-webhooks" | "hmac-sha256-hex" | "seed-000";
export const signatureSchemes: readonly SignatureScheme[] = [
  "standard-webhooks",
  "hmac-sha256-hex",
  "seed-000",
];

/**
 * A secret the endpoint may have: `whsec_…` for every scheme; for seed-000 also the seed's
 * shared secret as its receivers know it (8–200 printable ASCII characters, used as it is).
 */
export function checkSecret(secret: string, scheme: SignatureScheme): void {
  if (isValidSecret(secret)) return;
  if (scheme === "seed-000") {
    if (isSharedSecret(secret)) return;
    throw new HeraldError(
      "invalid_request",
      "secret must be whsec_ followed by base64 of 24 to 64 bytes, or (seed-000) 8 to 200 printable ASCII characters",
    );
  }
  throw new HeraldError(
    "invalid_request",
    "secret must be whsec_ followed by base64 of 24 to 64 bytes",
  );
}

/**
 * Header names an endpoint's static `headers` may not set (compared lower-case): Herald's own,
 * and those undici refuses or manages itself (an attempt carrying them would always fail).
 */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  "content-type",
  "content-length",
  "host",
  "user-agent",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
  "x-signature",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "expect",
  "te",
  "trailer",
  "proxy-connection",
]);

/** At most this many static headers per endpoint. */
export const MAX_HEADERS = 20;

/** Static headers may not set Herald's own headers, nor one name twice in different cases. */
export function checkHeaders(headers: Record<string, string>): void {
  const seen = new Set<string>();
  const reserved: string[] = [];
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (RESERVED_HEADERS.has(lower)) reserved.push(name);
    if (seen.has(lower)) {
      throw new HeraldError("invalid_request", `headers names ${lower} twice`, { header: name });
    }
    seen.add(lower);
  }
  if (reserved.length) {
    throw new HeraldError(
      "invalid_request",
      `headers may not set ${reserved.join(", ")}: Herald sets ${[...RESERVED_HEADERS].join(", ")} itself`,
      { reserved },
    );
  }
}

/** What a redacted value shows in place of the value. */
export const REDACTED = "redacted";

/**
 * Static headers whose values are credentials, by name: shown once, when the endpoint is
 * created, and as REDACTED everywhere after (API, live stream, dashboard).
 */
const SENSITIVE_HEADER = /auth|cookie|token|secret|key|passw|session|signature|credential/i;

export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADER.test(name);
}

/** The headers as shown after creation: sensitive values replaced by REDACTED. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = isSensitiveHeader(name) ? REDACTED : value;
  }
  return out;
}

/**
 * A PATCH may send back what it read: a redacted URL or header value means "keep the stored
 * one", never the word itself.
 */
export function unredact(
  patch: { url?: string; headers?: Record<string, string> | null },
  stored: { url: string; headers: Record<string, string> | null },
): void {
  if (patch.url !== undefined && patch.url !== stored.url && patch.url === redactUrl(stored.url)) {
    patch.url = stored.url;
  }
  if (patch.headers) {
    for (const [name, value] of Object.entries(patch.headers)) {
      const before = stored.headers?.[name];
      if (value === REDACTED && before !== undefined && isSensitiveHeader(name)) {
        patch.headers[name] = before;
      }
    }
  }
}

/** The URL without user name or password, which may be credentials. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    if (u.username) u.username = REDACTED;
    if (u.password) u.password = REDACTED;
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * A field's value as the audit log records it: static header values (often tokens) and URL
 * credentials are left out; header names are kept.
 */
export function auditValue(field: string, value: unknown): unknown {
  if (field === "url" && typeof value === "string") return redactUrl(value);
  if (field === "headers") return value ? Object.keys(value as object).sort() : [];
  return value;
}
