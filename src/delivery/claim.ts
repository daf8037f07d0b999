// The delivery queue's SQL: claim, complete, reap. PostgreSQL is the queue; these three
// statements are the whole protocol between workers, and each is one round trip.
import type { Sql } from "../db/connect.ts";

export interface Claimed {
  id: string;
  attempts: number;
  created_at: Date;
  event_id: string;
  payload: string;
  endpoint_id: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  signature_scheme: "standard-webhooks" | "hmac-sha256-hex";
  headers: Record<string, string> | null;
}

/**
 * Claims up to `limit` due deliveries for `workerId`: marks them in_flight with a lease of
 * `leaseMs` and counts the attempt. SKIP LOCKED lets any number of workers claim at once
 * without waiting on or double-claiming each other's rows. Deliveries of disabled or deleted
 * endpoints stay pending and spend no attempt. Returns what an attempt needs.
 */
export function claimDeliveries(sql: Sql, workerId: string, limit: number, leaseMs: number) {
  return sql<Claimed[]>`
    with due as (
      select d.id from deliveries d
      join endpoints ep on ep.id = d.endpoint_id
      where d.status = 'pending' and d.next_attempt_at <= now()
        and ep.enabled and ep.deleted_at is null
      order by d.next_attempt_at
      limit ${limit}
      for update of d skip locked
    )
    update deliveries d
    set status = 'in_flight', attempts = d.attempts + 1, worker_id = ${workerId},
        lease_expires_at = now() + ${leaseMs} * interval '1 millisecond', updated_at = now()
    from due, events e, endpoints ep
    where d.id = due.id and e.seq = d.event_seq and ep.id = d.endpoint_id
    returning d.id, d.attempts, coalesce(d.window_started_at, d.created_at) as created_at,
              e.id as event_id, e.payload,
              ep.id as endpoint_id, ep.url, ep.secret, ep.previous_secret,
              ep.previous_secret_expires_at, ep.signature_scheme, ep.headers`;
}

export interface Completion {
  id: string;
  attempt: number;
  /** succeeded | failed | pending (retry at nextAttemptAt) */
  status: "succeeded" | "failed" | "pending";
  nextAttemptAt: number | null;
  startedAt: number;
  durationMs: number;
  statusCode: number | null;
  errorKind: string | null;
  errorMessage: string | null;
  responseBody: string | null;
}

/**
 * Records a batch of finished attempts in one statement: the attempt rows, and each
 * delivery's new state. A delivery is updated only if this worker still holds that very
 * attempt (status in_flight, same worker, same attempt number); if its lease expired and
 * another worker took it, only the attempt row is written (the try did happen).
 */
export function completeDeliveries(sql: Sql, workerId: string, batch: Completion[]) {
  const col = <K extends keyof Completion>(k: K) => batch.map((c) => c[k]);
  return sql`
    with c as (
      select * from unnest(
        ${col("id")}::text[], ${col("attempt")}::int[], ${col("status")}::text[],
        ${col("nextAttemptAt")}::float8[], ${col("startedAt")}::float8[], ${col("durationMs")}::int[],
        ${col("statusCode")}::int[], ${col("errorKind")}::text[], ${col("errorMessage")}::text[],
        ${col("responseBody")}::text[])
      as c(id, attempt, status, next_at, started_at, duration_ms, status_code, error_kind, error_message, response_body)
    ),
    updated as (
      update deliveries d
      set status = c.status,
          next_attempt_at = coalesce(to_timestamp(c.next_at / 1000.0), d.next_attempt_at),
          lease_expires_at = null, worker_id = null,
          last_status_code = c.status_code,
          last_error = coalesce(c.error_message, c.error_kind),
          updated_at = now()
      from c
      where d.id = c.id and d.status = 'in_flight' and d.worker_id = ${workerId} and d.attempts = c.attempt
      returning d.id
    ),
    logged as (
      insert into attempts (delivery_id, endpoint_id, number, started_at, duration_ms, status_code,
                            error_kind, error_message, response_body, worker_id)
      select c.id, d.endpoint_id, c.attempt, to_timestamp(c.started_at / 1000.0), c.duration_ms,
             c.status_code, c.error_kind, c.error_message, c.response_body, ${workerId}
      from c join deliveries d on d.id = c.id
    )
    select count(*)::int as updated from updated`;
}

/**
 * Returns deliveries whose lease expired (their worker died or stalled mid-attempt) to the
 * queue, due now, and logs the lost try as an attempt of kind `lease_expired`. Deliveries
 * whose window or attempts are spent become failed. Safe to run in every worker at once.
 */
export function reapExpiredLeases(
  sql: Sql,
  maxAttempts: number | null,
  windowMs: number,
  limit = 1000,
) {
  return sql<{ id: string }[]>`
    with expired as (
      select id, worker_id, lease_expires_at from deliveries
      where status = 'in_flight' and lease_expires_at < now()
      order by lease_expires_at
      limit ${limit}
      for update skip locked
    ),
    reset as (
      update deliveries d
      set status = case
            when (${maxAttempts}::int is not null and d.attempts >= ${maxAttempts}::int)
              or coalesce(d.window_started_at, d.created_at) + ${windowMs} * interval '1 millisecond' < now() then 'failed'
            else 'pending' end,
          next_attempt_at = now(), lease_expires_at = null, worker_id = null,
          last_status_code = null, last_error = 'lease_expired', updated_at = now()
      from expired
      where d.id = expired.id
      returning d.id, d.endpoint_id, d.attempts, expired.worker_id, expired.lease_expires_at
    ),
    logged as (
      insert into attempts (delivery_id, endpoint_id, number, started_at, duration_ms, error_kind,
                            error_message, worker_id)
      select id, endpoint_id, attempts, lease_expires_at, 0, 'lease_expired',
             'the worker holding this attempt stopped before recording it; the request may have been sent',
             worker_id
      from reset
    )
    select id from reset`;
}
