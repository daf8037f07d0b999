// Endpoint and source secrets at rest: AES-256-GCM with Herald's encryption key. A stored
// secret is `enc:v1:<key id>:<base64 of 12-byte IV, ciphertext, 16-byte tag>`; the key id (the
// first 8 hex digits of the key's SHA-256) says which key sealed it, so a key can be rotated:
// the current key seals, it and the other keys given open. A stored value without the prefix
// is a secret written before encryption (or by hand): it is used as it is, and re-encrypted at
// the next start (secrets/reencrypt.ts).
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

const PREFIX = "enc:v1:";
/** Opened secrets kept in memory: a claim opens the same few secrets again and again. */
const CACHE_LIMIT = 100_000;

/** 32 bytes from base64 (standard or url-safe) or hex; undefined if it is neither. */
export function parseKey(raw: string): Buffer | undefined {
  const text = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const key = Buffer.from(text, "base64");
    if (key.length === 32) return key;
  }
  return undefined;
}

export class UnknownKeyError extends Error {}

export function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

export class SecretBox {
  readonly keyId: string;
  private readonly keys = new Map<string, Buffer>();
  private readonly opened = new Map<string, string>();

  constructor(
    private readonly current: Buffer,
    others: Buffer[] = [],
  ) {
    this.keyId = keyId(current);
    for (const k of [current, ...others]) this.keys.set(keyId(k), k);
  }

  /** The key ids this box can open, the sealing one first. */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.current, iv);
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}${this.keyId}:${Buffer.concat([iv, body]).toString("base64")}`;
  }

  sealNullable(plain: string | null): string | null {
    return plain === null ? null : this.seal(plain);
  }

  /** The secret `stored` holds. Throws UnknownKeyError if sealed with a key this box lacks. */
  open(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    const known = this.opened.get(stored);
    if (known !== undefined) return known;
    const colon = stored.indexOf(":", PREFIX.length);
    const id = stored.slice(PREFIX.length, colon);
    const key = this.keys.get(id);
    if (!key || colon < 0) {
      throw new UnknownKeyError(
        `a secret is encrypted with key ${id}, which this Herald does not have (HERALD_ENCRYPTION_KEY, HERALD_DECRYPTION_KEYS)`,
      );
    }
    const raw = Buffer.from(stored.slice(colon + 1), "base64");
    const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    const plain = Buffer.concat([
      decipher.update(raw.subarray(12, raw.length - 16)),
      decipher.final(),
    ]).toString("utf8");
    if (this.opened.size >= CACHE_LIMIT) this.opened.clear();
    this.opened.set(stored, plain);
    return plain;
  }

  openNullable(stored: string | null): string | null {
    return stored === null ? null : this.open(stored);
  }

  /**
   * Keys for `purpose` (signing stream tokens, portal sessions) derived with HKDF from each key
   * this box has, the current key's first: every process sharing the encryption key derives the
   * same, and during a rotation what either key signed still verifies.
   */
  derive(purpose: string): Buffer[] {
    return [...this.keys.values()].map((k) =>
      Buffer.from(hkdfSync("sha256", k, Buffer.alloc(0), `herald ${purpose}`, 32)),
    );
  }

  /** Sealed with the current key (nothing to re-encrypt). */
  isCurrent(stored: string | null): boolean {
    return stored === null || stored.startsWith(`${PREFIX}${this.keyId}:`);
  }

  /** The SQL LIKE pattern of values sealed with the current key. */
  get currentPattern(): string {
    return `${PREFIX}${this.keyId}:%`;
  }
}
