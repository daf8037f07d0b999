// API keys are stored as SHA-256 hashes only. Verification hashes the presented key and looks
// the hash up; the set of valid hashes is cached so the hot ingest path costs no query.
import { createHash, randomBytes } from "node:crypto";
import { audit, SYSTEM } from "../audit/log.ts";
import type { Sql } from "../db/connect.ts";
import { newId } from "../ids.ts";

export function hashKey(key: string): Buffer {
  return createHash("sha256").update(key).digest();
}

export function generateKey(): string {
  return `hk_${randomBytes(24).toString("base64url")}`;
}

/**
 * Makes sure a key can authenticate: the configured HERALD_API_KEY (added if new), or, when
 * none is configured and the database has no key yet, a generated one. Returns the generated
 * key (to print once), or undefined.
 */
export async function bootstrapKey(
  sql: Sql,
  configured: string | undefined,
): Promise<string | undefined> {
  const key = configured ?? generateKey();
  return sql.begin(async (tx) => {
    // A configured key is added when new; a generated one only into an empty table.
    const [row] = configured
      ? await tx<{ id: string }[]>`
          insert into api_keys (id, name, key_hash) values (${newId("key_")}, 'HERALD_API_KEY', ${hashKey(key)})
          on conflict (key_hash) do nothing returning id`
      : await tx<{ id: string }[]>`
          insert into api_keys (id, name, key_hash)
          select ${newId("key_")}, 'generated', ${hashKey(key)}
          where not exists (select 1 from api_keys) returning id`;
    if (!row) return undefined;
    await audit(tx, {
      actor: SYSTEM,
      action: "api_key.created",
      subject: row.id,
      details: { source: configured ? "HERALD_API_KEY" : "generated" },
    });
    return configured ? undefined : key;
  });
}

const NEGATIVE_TTL_MS = 2_000;

/** Checks presented keys; answers the key's id (the audit log's actor) or undefined. */
export class KeyVerifier {
  private valid = new Map<string, string>();
  private invalid = new Map<string, number>();

  constructor(private readonly sql: Sql) {}

  async verify(key: string): Promise<string | undefined> {
    const hash = hashKey(key);
    const hex = hash.toString("hex");
    const known = this.valid.get(hex);
    if (known) return known;
    const missUntil = this.invalid.get(hex);
    if (missUntil !== undefined && missUntil > Date.now()) return undefined;
    const [row] = await this.sql<
      { id: string }[]
    >`select id from api_keys where key_hash = ${hash}`;
    if (row) {
      this.valid.set(hex, row.id);
      this.invalid.delete(hex);
      return row.id;
    }
    if (this.invalid.size > 10_000) this.invalid.clear();
    this.invalid.set(hex, Date.now() + NEGATIVE_TTL_MS);
    return undefined;
  }
}
