// Short-lived signed tokens: `<prefix><payload>.<mac>`, the payload base64url JSON with an
// expiry `e` (ms since the epoch), the MAC an HMAC-SHA256 over prefix and payload with a key
// derived from the encryption key (SecretBox.derive). Nothing is stored: any process sharing the
// encryption key verifies them, without a query. What a token grants is decided by its user
// (a stream token names an API key that must still be valid when it is used).
import { createHmac, timingSafeEqual } from "node:crypto";

export interface Signed {
  /** Expiry, ms since the epoch. */
  e: number;
}

export class TokenSigner<T extends Signed> {
  constructor(
    private readonly prefix: string,
    /** Signing key first; the others still verify (a rotation in progress). */
    private readonly keys: Buffer[],
    private readonly isPayload: (value: unknown) => value is T,
  ) {}

  sign(payload: T): string {
    const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
    return `${this.prefix}${body}.${this.mac(this.keys[0] as Buffer, body)}`;
  }

  /** The payload of a well-formed, authentic, unexpired token; undefined for anything else. */
  verify(token: string, now: number): T | undefined {
    if (!token.startsWith(this.prefix) || token.length > 2048) return undefined;
    const dot = token.lastIndexOf(".");
    if (dot < 0) return undefined;
    const body = token.slice(this.prefix.length, dot);
    const mac = Buffer.from(token.slice(dot + 1), "base64url");
    const authentic = this.keys.some((key) => {
      const expected = Buffer.from(this.mac(key, body), "base64url");
      return expected.length === mac.length && timingSafeEqual(expected, mac);
    });
    if (!authentic) return undefined;
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    } catch {
      return undefined;
    }
    if (!this.isPayload(payload) || !(payload.e > now)) return undefined;
    return payload;
  }

  private mac(key: Buffer, body: string): string {
    return createHmac("sha256", key).update(this.prefix).update(body).digest("base64url");
  }
}
