// API keys: rows with a SHA-256 hash (the key itself is never stored), a scope, the tenant a
// tenant key is bound to, an expiry and a revocation time. Made by the configured
// HERALD_API_KEY, once generated on a first start, or through the key API.
import { createHash, randomBytes } from "node:crypto";
import type { TransactionSql } from "postgres";
import { audit, SYSTEM } from "../audit/log.ts";
import type { Context } from "../context.ts";
import type { Sql } from "../db/connect.ts";
import { keysetPage } from "../db/paging.ts";
import { HeraldError } from "../errors.ts";
import { newId } from "../ids.ts";
import { isTenantScope, type Scope } from "./access.ts";

export function hashKey(key: string): Buffer {
  return createHash("sha256").update(key).digest();
}

/** `hk_` and 32 base64url characters (192 random bits). */
export function generateKey(): string {
  return `hk_${randomBytes(24).toString("base64url")}`;
}

/**
 * Makes sure a key can authenticate: the configured HERALD_API_KEY (added if new; any other
 * configured key before it is revoked: changing the setting retires the old key), or, when
 * none is configured and the database has no key yet, a generated one. Returns the generated
 * key (to print once), or undefined.
 */
export async function bootstrapKey(
  sql: Sql,
  configured: string | undefined,
): Promise<string | undefined> {
  const key = configured ?? generateKey();
  return sql.begin(async (tx) => {
    const [row] = configured
      ? await tx<{ id: string }[]>`
          insert into api_keys (id, name, key_hash, origin)
          values (${newId("key_")}, 'HERALD_API_KEY', ${hashKey(key)}, 'config')
          on conflict (key_hash) do nothing returning id`
      : await tx<{ id: string }[]>`
          insert into api_keys (id, name, key_hash, origin)
          select ${newId("key_")}, 'generated', ${hashKey(key)}, 'generated'
          where not exists (select 1 from api_keys) returning id`;
    if (configured) {
      const retired = await tx<{ id: string }[]>`
        update api_keys set revoked_at = clock_timestamp()
        where origin = 'config' and revoked_at is null and key_hash <> ${hashKey(key)}
        returning id`;
      await audit(
        tx,
        ...retired.map((r) => ({
          actor: SYSTEM,
          action: "api_key.revoked" as const,
          subject: r.id,
          details: { reason: "HERALD_API_KEY changed" },
        })),
      );
    }
    if (!row) return undefined;
    await audit(tx, {
      actor: SYSTEM,
      action: "api_key.created",
      subject: row.id,
      details: { source: configured ? "HERALD_API_KEY" : "generated", scope: "admin" },
    });
    return configured ? undefined : key;
  });
}

export interface KeyInput {
  name: string;
  scope: Scope;
  tenant?: string | null;
  expires_at?: string | null;
}

interface KeyRow {
  id: string;
  name: string;
  scope: Scope;
  tenant: string | null;
  origin: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const KEY_COLUMNS = [
  "id",
  "name",
  "scope",
  "tenant",
  "origin",
  "created_at",
  "expires_at",
  "revoked_at",
  "last_used_at",
];

function keyJson(r: KeyRow) {
  return {
    id: r.id,
    name: r.name,
    scope: r.scope,
    tenant: r.tenant,
    origin: r.origin,
    created_at: r.created_at.toISOString(),
    expires_at: r.expires_at?.toISOString() ?? null,
    revoked_at: r.revoked_at?.toISOString() ?? null,
    last_used_at: r.last_used_at?.toISOString() ?? null,
  };
}

/** `POST /v1/api-keys`: the new key's record and, this once, the key itself. */
export async function createKey(ctx: Context, actor: string, input: KeyInput) {
  const tenant = input.tenant ?? null;
  if (isTenantScope(input.scope) !== (tenant !== null)) {
    throw new HeraldError(
      "invalid_request",
      isTenantScope(input.scope)
        ? `scope ${input.scope} needs a tenant`
        : `scope ${input.scope} is for every tenant; leave tenant out`,
    );
  }
  let expiresAt: Date | null = null;
  if (input.expires_at != null) {
    const ms = Date.parse(input.expires_at);
    if (Number.isNaN(ms)) throw new HeraldError("invalid_request", "expires_at is not a time");
    if (ms <= ctx.now()) throw new HeraldError("invalid_request", "expires_at is in the past");
    expiresAt = new Date(ms);
  }
  const key = generateKey();
  return ctx.sql.begin(async (tx) => {
    const [row] = await tx<KeyRow[]>`
      insert into api_keys (id, name, key_hash, scope, tenant, expires_at)
      values (${newId("key_")}, ${input.name}, ${hashKey(key)}, ${input.scope}, ${tenant}, ${expiresAt})
      returning ${tx(KEY_COLUMNS)}`;
    const created = row as KeyRow;
    await audit(tx, {
      actor,
      action: "api_key.created",
      subject: created.id,
      tenant,
      details: {
        name: input.name,
        scope: input.scope,
        expires_at: expiresAt?.toISOString() ?? null,
      },
    });
    return { ...keyJson(created), key };
  });
}

export async function listKeys(ctx: Context, q: { limit: number; cursor?: string }) {
  const { sql } = ctx;
  const rows = await sql<KeyRow[]>`
    select ${sql(KEY_COLUMNS)} from api_keys
    ${q.cursor !== undefined ? sql`where id < ${q.cursor}` : sql``}
    order by id desc limit ${q.limit + 1}`;
  return keysetPage(rows, q.limit, (r) => r.id, keyJson);
}

export async function getKey(ctx: Context, id: string) {
  const [row] = await ctx.sql<KeyRow[]>`
    select ${ctx.sql(KEY_COLUMNS)} from api_keys where id = ${id}`;
  if (!row) throw new HeraldError("api_key_not_found", `No API key with id ${id}.`);
  return keyJson(row);
}

/**
 * `DELETE /v1/api-keys/:id`: revokes the key (the row stays, for the audit log). Revoking a
 * revoked key changes nothing. Other processes drop it from their caches within a second
 * (KeyVerifier polls for revocations).
 */
export async function revokeKey(ctx: Context, actor: string, id: string): Promise<void> {
  await ctx.sql.begin(async (tx: TransactionSql) => {
    const [row] = await tx<{ revoked: boolean; tenant: string | null }[]>`
      select revoked_at is not null as revoked, tenant from api_keys where id = ${id} for update`;
    if (!row) throw new HeraldError("api_key_not_found", `No API key with id ${id}.`);
    if (row.revoked) return;
    await tx`update api_keys set revoked_at = clock_timestamp() where id = ${id}`;
    await audit(tx, {
      actor,
      action: "api_key.revoked",
      subject: id,
      tenant: row.tenant,
    });
  });
}
