// Claiming due deliveries (pending → in_flight): the hot path between PostgreSQL and the workers.
import type { Db } from "../db/connect.ts";
import type { SignatureScheme } from "../endpoints/policy.ts";

/**
 * What a claimed delivery's endpoint was when it was claimed, for the worker's slot budget:
 * - `healthy`: it has had a success and is not failing;
 * - `suspect`: it is failing (consecutive_failures > 0): its attempts may each hold a slot until
 *   the timeout, so together they get a bounded share of the worker's slots;
 * - `probe`: it has never had a success nor a failure (new, or never tried): one attempt at a
 *   time, on sockets of their own, until the first outcome says which it is.
 */
export type EndpointClass = "healthy" | "suspect" | "probe";

export interface Claimed {
  id: string;
  attempts: number;
  /** Start of the retry window: creation, or the last manual re-queue. */
  created_at: Date;
  /** When the delivery was made (its event's 202, or the re-queue that made it again). */
  enqueued_at: Date;
  /** The traceparent of the request that ingested the event (tracing on), or null. */
  trace_context: string | null;
  event_id: string;
  payload: string;
  /** The event's media type; null means application/json. */
  content_type: string | null;
  endpoint_id: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  signature_scheme: SignatureScheme;
  headers: Record<string, string> | null;
  class: EndpointClass;
  /** The most attempts to this endpoint that may be open at once. */
  max_in_flight: number;
}

/**
 * How many deliveries of a healthy endpoint a worker may hold, in multiples of its
 * max_in_flight, when it holds all of that endpoint's in-flight deliveries: it sends at most
 * max_in_flight at once and starts the next the moment one ends. Without it, a slot waited for
 * the outcome to be recorded and a claim to come back (~700 deliveries/s through an endpoint's
 * default 10 slots, for a receiver answering at once).
 */
export const HOLD_FACTOR = 12;

export interface ClaimOptions {
  workerId: string;
  /** Most healthy and suspect deliveries: the worker's free slots. */
  limit: number;
  /** Most of those for suspect endpoints: their share of the slots minus what they hold. */
  suspectLimit: number;
  /** Most probes (beside `limit`): the worker's probe sockets that are free. */
  probeLimit: number;
  /**
   * Most deliveries beyond `limit` held to wait for their endpoint's slot (see HOLD_FACTOR):
   * the worker's room for waiting deliveries, which hold no slot.
   */
  holdLimit: number;
  leaseMs: number;
  /** Consecutive failures at which a circuit is open or half-open (one probe at a time). */
  circuitFailures: number;
}

/**
 * Claims due deliveries in one statement; marks them in_flight under a lease and counts the
 * attempt. Contract:
 * - never more than an endpoint may take: `max_in_flight` minus `endpoints.in_flight`, its
 *   rate limit's remaining budget for this second (none in its last 100 ms, so attempts start
 *   in the second they are counted in), and one at a time when its circuit is half-open or it
 *   has never had an outcome. The endpoint rows are locked (SKIP LOCKED) and their counters
 *   read fresh under the lock, so concurrent claims cannot push an endpoint over its limits.
 *   A healthy endpoint without a rate limit whose in-flight deliveries are all this worker's
 *   (endpoints.held_by) may be held up to HOLD_FACTOR × max_in_flight: the worker sends at most
 *   max_in_flight of them at once (delivery/worker.ts), and no other worker can claim one until
 *   in_flight is under max_in_flight again, when held_by says "several" (null) from then on;
 * - at most `limit` healthy and suspect deliveries, of which at most `suspectLimit` suspect,
 *   at most `probeLimit` probes, and at most `holdLimit` held ones (beyond what their
 *   endpoints' max_in_flight lets be sent now), in due order;
 * - endpoints that can take nothing now (busy, rate-limited, circuit open, disabled, a probe in
 *   flight) are left out of the scan of the due index, and so are suspect endpoints or
 *   untried ones once their budget is spent: a dead endpoint's backlog, due first, never fills
 *   the scan and keeps healthy endpoints waiting;
 * - deliveries of disabled endpoints and open circuits stay pending and spend no attempt;
 * - a delivery's retry window starts with its first attempt (window_started_at);
 * - SKIP LOCKED everywhere: workers never wait on each other or claim a row twice.
 */
export function claim(db: Db, o: ClaimOptions) {
  // Due rows read: four per slot to fill (some belong to endpoints that can take no more), and
  // at least enough to find probes when the slots are full. Not sized by probeLimit, which is
  // large: a probe is one row per untried endpoint, found in the same window.
  const scan = Math.min(2000, Math.max(o.limit, 32) * 4);
  // An endpoint this worker may hold beyond max_in_flight (HOLD_FACTOR): healthy, no rate
  // limit, and nothing in flight or all of it this worker's. Read on the endpoints row.
  const holdable = db`(consecutive_failures = 0 and last_success_at is not null
    and rate_limit_per_second is null and (in_flight = 0 or held_by = ${o.workerId}))`;
  return db<Claimed[]>`
    with blocked as (
      select id from endpoints
      where (in_flight > 0 or not enabled or deleted_at is not null or consecutive_failures > 0
             or circuit_open_until is not null or rate_limit_per_second is not null)
        and (not enabled or deleted_at is not null
             or in_flight >= max_in_flight * (case when ${holdable} then ${HOLD_FACTOR} else 1 end)
             or circuit_open_until > now()
             or (consecutive_failures >= ${o.circuitFailures} and in_flight > 0)
             or (last_success_at is null and consecutive_failures = 0 and in_flight > 0)
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
        -- A hashed subplan: "<> all (array(…))" compared each row with every blocked id, and
        -- NOT EXISTS became an index lookup per row; 2,000 due rows of 200 dead endpoints
        -- cost ~3 ms and ~1.7 ms a claim. (No NULLs on either side, so NOT IN is exact.)
        and d.endpoint_id not in (select id from blocked)
        -- With a budget spent, its endpoints' rows are stepped over (a primary-key lookup per
        -- row, only then).
        and ((${o.suspectLimit}::int > 0 and ${o.probeLimit}::int > 0) or not exists (
          select 1 from endpoints ep where ep.id = d.endpoint_id
            and ((${o.suspectLimit}::int <= 0 and ep.consecutive_failures > 0)
              or (${o.probeLimit}::int <= 0 and ep.last_success_at is null
                  and ep.consecutive_failures = 0))))
      order by d.next_attempt_at
      limit ${scan}
    ),
    eps as (
      select ep.id,
             -- What the endpoint may take without holding: the rows beyond it wait in the worker.
             ep.max_in_flight - ep.in_flight as sendable,
             case when ep.consecutive_failures > 0 then 'suspect'
                  when ep.last_success_at is null then 'probe'
                  else 'healthy' end as class,
             ep.max_in_flight,
             least(
          case when ${holdable} then ep.max_in_flight * ${HOLD_FACTOR} - ep.in_flight
               else ep.max_in_flight - ep.in_flight end,
          case when ep.consecutive_failures >= ${o.circuitFailures}
                 or (ep.last_success_at is null and ep.consecutive_failures = 0)
               then 1 - ep.in_flight else 1000000 end,
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
      select s.id, s.next_attempt_at, e.free, e.class, e.sendable,
             row_number() over (partition by s.endpoint_id order by s.next_attempt_at) as rn
      from scan s join eps e on e.id = s.endpoint_id
    ),
    -- What each endpoint may take; then, in due order, the rows each budget allows.
    fits as (
      select r.id, r.next_attempt_at, r.class, r.rn > r.sendable as held,
             count(*) filter (where r.class = 'suspect') over w as n_suspect,
             count(*) filter (where r.class = 'probe') over w as n_probe
      from ranked r where r.rn <= r.free
      window w as (order by r.next_attempt_at, r.id)
    ),
    allowed as (
      select f.id, f.next_attempt_at, f.class, f.held,
             count(*) filter (where f.class <> 'probe' and not f.held) over w as n_slot,
             count(*) filter (where f.held) over w as n_held
      from fits f
      where f.class = 'healthy'
         or (f.class = 'suspect' and f.n_suspect <= ${o.suspectLimit})
         or (f.class = 'probe' and f.n_probe <= ${o.probeLimit})
      window w as (order by f.next_attempt_at, f.id)
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
          select a.id from allowed a
          where case when a.held then a.n_held <= ${o.holdLimit}
                     else a.class = 'probe' or a.n_slot <= ${o.limit} end))
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
      returning d.id, d.event_seq, d.endpoint_id, d.attempts, d.created_at as enqueued_at,
                coalesce(d.window_started_at, d.created_at) as window_start
    ),
    counted as (
      update endpoints ep
      set in_flight = ep.in_flight + c.n,
          held_by = case when ep.in_flight = 0 or ep.held_by = ${o.workerId} then ${o.workerId} end,
          rate_window_count = case when ep.rate_window_start = date_trunc('second', now())
                                   then ep.rate_window_count + c.n else c.n end,
          rate_window_start = date_trunc('second', now())
      from (select endpoint_id, count(*)::int as n from claimed group by endpoint_id) c
      where ep.id = c.endpoint_id
    )
    select c.id, c.attempts, c.window_start as created_at, c.enqueued_at, e.id as event_id,
           e.payload, e.content_type, e.trace_context,
           ep.id as endpoint_id, ep.url, ep.secret, ep.previous_secret,
           ep.previous_secret_expires_at, ep.signature_scheme, ep.headers, k.class, k.max_in_flight
    from claimed c
    join events e on e.seq = c.event_seq
    join endpoints ep on ep.id = c.endpoint_id
    join eps k on k.id = c.endpoint_id`;
}
