// Claiming due deliveries (pending → in_flight): the hot path between PostgreSQL and the workers.
import type { Db } from "../db/connect.ts";

export interface Claimed {
  id: string;
  attempts: number;
  /** Start of the retry window: creation, or the last manual re-queue. */
  created_at: Date;
  event_id: string;
  payload: string;
  /** The event's media type; null means application/json. */
  content_type: string | null;
  endpoint_id: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  signature_scheme: "standard-webhooks" | "hmac-sha256-hex";
  headers: Record<string, string> | null;
}

export interface ClaimOptions {
  workerId: string;
  limit: number;
  leaseMs: number;
  /** Consecutive failures at which a circuit is open or half-open (one probe at a time). */
  circuitFailures: number;
}

/**
 * Claims up to `limit` due deliveries in one statement; marks them in_flight under a lease and
 * counts the attempt. Contract:
 * - never more than an endpoint may take: `max_in_flight` minus `endpoints.in_flight`, its
 *   rate limit's remaining budget for this second (none in its last 100 ms, so attempts start
 *   in the second they are counted in), and one probe when its circuit is half-open.
 *   The endpoint rows are locked (SKIP LOCKED) and their counters read fresh under the lock,
 *   so concurrent claims by other workers cannot push an endpoint over its limits;
 * - endpoints that can take nothing now (busy, rate-limited, circuit open, disabled) are
 *   excluded from the scan of the due index, so their backlog never starves other endpoints;
 * - deliveries of disabled endpoints and open circuits stay pending and spend no attempt;
 * - a delivery's retry window starts with its first attempt (window_started_at);
 * - SKIP LOCKED everywhere: workers never wait on each other or claim a row twice.
 */
export function claim(db: Db, o: ClaimOptions) {
  const scan = Math.min(2000, o.limit * 4);
  return db<Claimed[]>`
    with blocked as (
      select id from endpoints
      where (in_flight > 0 or not enabled or deleted_at is not null or consecutive_failures > 0
             or circuit_open_until is not null or rate_limit_per_second is not null)
        and (not enabled or deleted_at is not null
             or in_flight >= max_in_flight
             or circuit_open_until > now()
             or (consecutive_failures >= ${o.circuitFailures} and in_flight > 0)
             or (rate_window_start = date_trunc('second', now())
                 and rate_window_count >= rate_limit_per_second)
             -- An attempt counts in the second it was claimed in; claimed in that second's
             -- last 100 ms, it could start in the next one, beside that second's own.
             or (rate_limit_per_second is not null
                 and now() - date_trunc('second', now()) >= interval '900 milliseconds'))
    ),
    scan as (
      select d.id, d.endpoint_id, d.next_attempt_at from deliveries d
      where d.status = 'pending' and d.next_attempt_at <= now()
        and d.endpoint_id <> all (array(select id from blocked))
      order by d.next_attempt_at
      limit ${scan}
    ),
    eps as (
      select ep.id, least(
          ep.max_in_flight - ep.in_flight,
          case when ep.consecutive_failures >= ${o.circuitFailures} then 1 - ep.in_flight else 1000000 end,
          case when ep.rate_limit_per_second is null then 1000000
               when ep.rate_window_start = date_trunc('second', now())
                 then ep.rate_limit_per_second - ep.rate_window_count
               else ep.rate_limit_per_second end) as free
      from endpoints ep
      where ep.id in (select endpoint_id from scan)
        and ep.enabled and ep.deleted_at is null
        and (ep.circuit_open_until is null or ep.circuit_open_until <= now())
      for no key update skip locked
    ),
    ranked as (
      select s.id, s.next_attempt_at, e.free,
             row_number() over (partition by s.endpoint_id order by s.next_attempt_at) as rn
      from scan s join eps e on e.id = s.endpoint_id
    ),
    -- Rows are fetched by primary key from an array: the plan is generic (prepared once per
    -- connection) and must not depend on statistics, which lag behind a queue. With a join
    -- here, a parameter LIMIT (guessed at 10% of the table) made it a sequential scan of all
    -- deliveries; with "status = 'pending'" here, statistics taken while nothing was pending
    -- made it a scan of the whole due index. So the status is not a condition of this scan:
    -- it is read from the locked row (its newest version) and checked in "claimed".
    picked as (
      select d.id, d.status from deliveries d
      where d.id = any(array(
          select r.id from ranked r where r.rn <= r.free order by r.next_attempt_at limit ${o.limit}))
      for update of d skip locked
    ),
    claimed as (
      update deliveries d
      set status = 'in_flight', attempts = d.attempts + 1, worker_id = ${o.workerId},
          lease_expires_at = now() + ${o.leaseMs} * interval '1 millisecond', updated_at = now(),
          -- The retry window starts at the first attempt: a delivery that waited for a disabled
          -- endpoint, an open circuit or a backlog has lost none of it.
          window_started_at = case when d.attempts = 0 then now() else d.window_started_at end
      from picked where d.id = picked.id and picked.status = 'pending'
      returning d.id, d.event_seq, d.endpoint_id, d.attempts,
                coalesce(d.window_started_at, d.created_at) as window_start
    ),
    counted as (
      update endpoints ep
      set in_flight = ep.in_flight + c.n,
          rate_window_count = case when ep.rate_window_start = date_trunc('second', now())
                                   then ep.rate_window_count + c.n else c.n end,
          rate_window_start = date_trunc('second', now())
      from (select endpoint_id, count(*)::int as n from claimed group by endpoint_id) c
      where ep.id = c.endpoint_id
    )
    select c.id, c.attempts, c.window_start as created_at, e.id as event_id, e.payload, e.content_type,
           ep.id as endpoint_id, ep.url, ep.secret, ep.previous_secret,
           ep.previous_secret_expires_at, ep.signature_scheme, ep.headers
    from claimed c
    join events e on e.seq = c.event_seq
    join endpoints ep on ep.id = c.endpoint_id`;
}
