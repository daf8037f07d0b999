// Returning the deliveries of dead workers to the queue (in_flight, lease expired → pending
// or failed).
import type { Db } from "../db/connect.ts";
import { archive } from "./archive.ts";

export interface ReapOptions {
  /** HERALD_MAX_ATTEMPTS; null: bounded by the window only. */
  maxAttempts: number | null;
  /** The retry window (HERALD_RETRY_WINDOW_MS). */
  windowMs: number;
  /** Most rows returned in one statement. */
  limit: number;
}

/**
 * Returns deliveries whose lease expired (their worker died or stalled mid-attempt) to the
 * queue, due now, logs the lost try as an attempt of kind `lease_expired`, and gives their
 * endpoints the in-flight slots back. Deliveries whose window or attempts are spent become
 * failed. Safe to run in every worker at once (SKIP LOCKED).
 */
export function reapExpired(db: Db, { maxAttempts, windowMs, limit }: ReapOptions) {
  return db<{ id: string }[]>`
    with expired as (
      -- By primary key from an array, not a join over a LIMIT: the generic plan guesses a
      -- parameter LIMIT at 10% of the table (see claim.ts).
      select id, worker_id, lease_expires_at,
             (${maxAttempts}::int is not null and attempts >= ${maxAttempts}::int)
               or coalesce(window_started_at, created_at) + ${windowMs} * interval '1 millisecond' < now()
               as spent
      from deliveries
      where id = any(array(
          select id from deliveries where status = 'in_flight' and lease_expires_at < now()
          order by lease_expires_at limit ${limit}))
        and status = 'in_flight' and lease_expires_at < now()
      for update skip locked
    ),
    requeued as (
      update deliveries d
      set status = 'pending', next_attempt_at = now(), lease_expires_at = null, worker_id = null,
          last_status_code = null, last_error = 'lease_expired', updated_at = now()
      from expired
      where d.id = expired.id and not expired.spent
      returning d.id, d.endpoint_id, d.attempts, expired.worker_id, expired.lease_expires_at
    ),
    -- Spent ones have failed for good: they leave the queue for the history (migration 009).
    failed as (
      delete from deliveries d using expired
      where d.id = expired.id and expired.spent
      returning d.id, d.event_seq, d.endpoint_id, 'failed' as status, d.attempts,
                now() as next_attempt_at, null::int as last_status_code,
                'lease_expired' as last_error, d.created_at, d.window_started_at,
                expired.worker_id, expired.lease_expires_at
    ),
    archived as (${archive(db, "failed")}),
    reset as (
      select id, endpoint_id, attempts, worker_id, lease_expires_at from requeued
      union all
      select id, endpoint_id, attempts, worker_id, lease_expires_at from failed
    ),
    logged as (
      insert into attempts (delivery_id, endpoint_id, number, started_at, duration_ms, error_kind,
                            error_message, worker_id)
      select id, endpoint_id, attempts, lease_expires_at, 0, 'lease_expired',
             'the worker holding this attempt stopped before recording it; the request may have been sent',
             worker_id
      from reset
    ),
    released as (
      update endpoints ep set in_flight = greatest(0, ep.in_flight - r.n)
      from (select endpoint_id, count(*)::int as n from reset group by endpoint_id) r
      where ep.id = r.endpoint_id
    )
    select id from reset`;
}
