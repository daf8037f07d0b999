// The audit log: every management action, by hand or automatic, appended with its actor.
// Details never hold a secret; callers pass only what an operator may read.
import type { TransactionSql } from "postgres";
import type { Context } from "../context.ts";
import type { Sql } from "../db/connect.ts";
import { keysetPage } from "../db/paging.ts";
import { HeraldError } from "../errors.ts";

export type AuditAction =
  | "endpoint.created"
  | "endpoint.updated"
  | "endpoint.deleted"
  | "endpoint.enabled"
  | "endpoint.disabled"
  | "endpoint.secret_rotated"
  | "endpoint.recovered"
  | "endpoint.tested"
  | "event.replayed"
  | "delivery.retried"
  | "api_key.created"
  | "api_key.revoked"
  | "source.created"
  | "source.updated"
  | "source.secret_rotated"
  | "source.deleted"
  | "source.conflict"
  | "event_type.created"
  | "event_type.updated"
  | "event_type.deleted"
  | "portal_session.created";

/** Who did it: an API key id, or "system" for what Herald does by itself. */
export type Actor = string;
export const SYSTEM: Actor = "system";

export interface AuditEntry {
  actor: Actor;
  action: AuditAction;
  subject: string;
  /** The tenant whose object it is (its keys may read the entry); null or absent: none. */
  tenant?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Appends entries; pass a transaction to make them part of the change they record. Details go
 * as JSON text cast to jsonb in SQL: a jsonb[] parameter would store each one as a JSON string.
 */
export async function audit(sql: Sql | TransactionSql, ...entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  await sql`
    insert into audit_log (actor, action, subject, tenant, details)
    select actor, action, subject, tenant, details::jsonb
    from unnest(${entries.map((e) => e.actor)}::text[], ${entries.map((e) => e.action)}::text[],
                ${entries.map((e) => e.subject)}::text[], ${entries.map((e) => e.tenant ?? null)}::text[],
                ${entries.map((e) => (e.details ? JSON.stringify(e.details) : null))}::text[])
      as e(actor, action, subject, tenant, details)`;
}

export async function listAudit(
  ctx: Context,
  q: {
    subject?: string;
    actor?: string;
    action?: string;
    tenant?: string;
    limit: number;
    cursor?: string;
  },
) {
  const { sql } = ctx;
  if (q.cursor !== undefined && !/^\d{1,18}$/.test(q.cursor)) {
    throw new HeraldError("invalid_request", "cursor is not one this API returned");
  }
  const rows = await sql<
    {
      id: string;
      at: Date;
      actor: string;
      action: string;
      subject: string;
      tenant: string | null;
      details: unknown;
    }[]
  >`
    select id, at, actor, action, subject, tenant, details from audit_log
    where true
      ${q.subject !== undefined ? sql`and subject = ${q.subject}` : sql``}
      ${q.actor !== undefined ? sql`and actor = ${q.actor}` : sql``}
      ${q.action !== undefined ? sql`and action = ${q.action}` : sql``}
      ${q.tenant !== undefined ? sql`and tenant = ${q.tenant}` : sql``}
      ${q.cursor !== undefined ? sql`and id < ${q.cursor}` : sql``}
    order by id desc limit ${q.limit + 1}`;
  return keysetPage(
    rows,
    q.limit,
    (r) => r.id,
    (r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actor: r.actor,
      action: r.action,
      subject: r.subject,
      tenant: r.tenant,
      details: r.details,
    }),
  );
}
