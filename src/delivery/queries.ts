// Reading deliveries and their attempts back (keyset-paged on the time-sortable id).
import { andTenant } from "../auth/access.ts";
import type { Context } from "../context.ts";
import { keysetPage } from "../db/paging.ts";
import { notFound } from "../errors.ts";

export const deliveryStatuses = [
  "pending",
  "in_flight",
  "succeeded",
  "failed",
  "cancelled",
] as const;

export interface DeliveryRow {
  id: string;
  event_id: string;
  endpoint_id: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * DeliveryRow's columns, read from DELIVERIES (a delivery's event is named by its id, which the
 * row itself does not hold).
 */
export const DELIVERY_COLUMNS =
  "d.id, e.id as event_id, d.endpoint_id, d.status, d.attempts, d.next_attempt_at, " +
  "d.last_status_code, d.last_error, d.created_at, d.updated_at";
/** Every delivery, queued or finished (the view all_deliveries, migration 009), with its event. */
export const DELIVERIES = "all_deliveries d join events e on e.seq = d.event_seq";

/** A delivery as the API shows it (lists, detail and the live stream). */
export function deliveryJson(d: DeliveryRow) {
  return {
    id: d.id,
    event_id: d.event_id,
    endpoint_id: d.endpoint_id,
    status: d.status,
    attempt_count: d.attempts,
    next_attempt_at: d.status === "pending" ? d.next_attempt_at.toISOString() : null,
    last_status_code: d.last_status_code,
    last_error: d.last_error,
    created_at: d.created_at.toISOString(),
    updated_at: d.updated_at.toISOString(),
  };
}

export async function listDeliveries(
  ctx: Context,
  q: { status?: string; endpointId?: string; tenant?: string; limit: number; cursor?: string },
) {
  const { sql } = ctx;
  const rows = await sql<DeliveryRow[]>`
    select ${sql.unsafe(DELIVERY_COLUMNS)} from ${sql.unsafe(DELIVERIES)}
    where true
      ${q.status !== undefined ? sql`and d.status = ${q.status}` : sql``}
      ${q.endpointId !== undefined ? sql`and d.endpoint_id = ${q.endpointId}` : sql``}
      ${andTenant(sql, q.tenant, "e.tenant")}
      ${q.cursor !== undefined ? sql`and d.id < ${q.cursor}` : sql``}
    order by d.id desc limit ${q.limit + 1}`;
  return keysetPage(rows, q.limit, (r) => r.id, deliveryJson);
}

/** A delivery's tenant is its event's (an event is only ever delivered to its tenant's endpoints). */
export async function getDelivery(ctx: Context, id: string, tenant?: string) {
  const { sql } = ctx;
  const [row] = await sql<DeliveryRow[]>`
    select ${sql.unsafe(DELIVERY_COLUMNS)} from ${sql.unsafe(DELIVERIES)}
    where d.id = ${id} ${andTenant(sql, tenant, "e.tenant")}`;
  if (!row) throw notFound("delivery", id);
  const attempts = await sql`
    select number, started_at, duration_ms, status_code, error_kind, error_message, response_body
    from attempts where delivery_id = ${id} order by number, id`;
  return {
    ...deliveryJson(row),
    attempts: attempts.map((a) => ({
      number: a.number,
      started_at: (a.started_at as Date).toISOString(),
      duration_ms: a.duration_ms,
      status_code: a.status_code,
      error_kind: a.error_kind,
      error_message: a.error_message,
      response_body: a.response_body,
    })),
  };
}
