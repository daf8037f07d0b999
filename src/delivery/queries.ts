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

/** Why a delivery that is not finished has not been sent yet (docs/api.md, "Deliveries"). */
export type Waiting = {
  reason:
    | "due"
    | "scheduled"
    | "retry_scheduled"
    | "circuit_open"
    | "circuit_half_open"
    | "endpoint_disabled"
    | "in_flight";
  until: string | null;
};

interface EndpointState {
  ep_enabled: boolean | null;
  ep_circuit_open_until: Date | null;
  ep_consecutive_failures: number | null;
}

export function waitingFor(
  d: DeliveryRow & EndpointState,
  circuitFailures: number,
  now: number,
): Waiting | null {
  if (d.status === "in_flight") return { reason: "in_flight", until: null };
  if (d.status !== "pending") return null;
  if (d.ep_enabled === false) return { reason: "endpoint_disabled", until: null };
  const openUntil = d.ep_circuit_open_until;
  if (openUntil && openUntil.getTime() > now) {
    return { reason: "circuit_open", until: openUntil.toISOString() };
  }
  if ((d.ep_consecutive_failures ?? 0) >= circuitFailures) {
    return { reason: "circuit_half_open", until: null };
  }
  if (d.next_attempt_at.getTime() > now) {
    return {
      reason: d.attempts > 0 ? "retry_scheduled" : "scheduled",
      until: d.next_attempt_at.toISOString(),
    };
  }
  return { reason: "due", until: null };
}

export async function listDeliveries(
  ctx: Context,
  q: { status?: string; endpointId?: string; tenant?: string; limit: number; cursor?: string },
) {
  const { sql } = ctx;
  const rows = await sql<(DeliveryRow & EndpointState)[]>`
    select ${sql.unsafe(DELIVERY_COLUMNS)}, ep.enabled as ep_enabled,
           ep.circuit_open_until as ep_circuit_open_until,
           ep.consecutive_failures as ep_consecutive_failures
    from ${sql.unsafe(DELIVERIES)} left join endpoints ep on ep.id = d.endpoint_id
    where true
      ${q.status !== undefined ? sql`and d.status = ${q.status}` : sql``}
      ${q.endpointId !== undefined ? sql`and d.endpoint_id = ${q.endpointId}` : sql``}
      ${andTenant(sql, q.tenant, "e.tenant")}
      ${q.cursor !== undefined ? sql`and d.id < ${q.cursor}` : sql``}
    order by d.id desc limit ${q.limit + 1}`;
  const now = ctx.now();
  return keysetPage(
    rows,
    q.limit,
    (r) => r.id,
    (r) => ({ ...deliveryJson(r), waiting: waitingFor(r, ctx.config.circuitFailures, now) }),
  );
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
