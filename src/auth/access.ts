// What an API key allows. Admin keys see every tenant; a tenant key sees one, and its
// requests are narrowed to it: lists show only its rows, another tenant's ids answer 404 (as
// if they did not exist), and naming another tenant in a body or query is refused with 403.
import type { PendingQuery, Row, TransactionSql } from "postgres";
import type { Actor } from "../audit/log.ts";
import type { Sql } from "../db/connect.ts";
import { HeraldError } from "../errors.ts";

export const scopes = ["admin", "admin:read", "tenant", "tenant:read"] as const;
export type Scope = (typeof scopes)[number];

/** Who is asking, as the key that authenticated the request allows it. */
export interface Principal {
  keyId: string;
  scope: Scope;
  /** The one tenant a tenant key is bound to; null for admin keys (every tenant). */
  tenant: string | null;
}

/**
 * Who acts (the audit log's actor) and the tenant they are confined to: a tenant key's
 * tenant; undefined for admin keys and for Herald itself.
 */
export interface Caller {
  actor: Actor;
  tenant?: string;
}

export const isTenantScope = (scope: Scope): boolean => scope.startsWith("tenant");
export const canWrite = (scope: Scope): boolean => !scope.endsWith(":read");

/**
 * The tenant a read or change is narrowed to: for an admin key the one asked for (undefined:
 * every tenant), for a tenant key its own. A tenant key asking for another is refused.
 */
export function tenantFilter(p: Principal, asked?: string): string | undefined {
  if (p.tenant === null) return asked;
  if (asked !== undefined && asked !== p.tenant) throw otherTenant(p);
  return p.tenant;
}

/**
 * The tenant a new endpoint, source or event belongs to: what the body says (null when it
 * says nothing) for an admin key; a tenant key's own tenant, which the body may repeat but
 * not change.
 */
export function ownerTenant(p: Principal, given: string | null | undefined): string | null {
  if (p.tenant === null) return given ?? null;
  if (given !== undefined && given !== p.tenant) throw otherTenant(p);
  return p.tenant;
}

function otherTenant(p: Principal): HeraldError {
  return new HeraldError("forbidden", `This API key is bound to tenant ${p.tenant}.`);
}

/** `and <column> = tenant` when the caller is confined to a tenant, else nothing. */
export function andTenant(
  sql: Sql | TransactionSql,
  tenant: string | undefined,
  column = "tenant",
): PendingQuery<Row[]> {
  return tenant === undefined ? sql`` : sql`and ${sql(column)} = ${tenant}`;
}
