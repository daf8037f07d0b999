// Recording finished attempts (in_flight → succeeded or failed, moved to delivery_history; or
// pending for a retry): the deliveries, their attempt rows and their endpoints' health, in one
// statement.
import type { Db } from "../db/connect.ts";
import type { BreakerInput, BreakerPolicy } from "../endpoints/breaker.ts";
import { archive } from "./archive.ts";

/** Herald's own notices (ops/notices.ts): their deliveries failing announce nothing. */
export const OPS_TYPES = [
  "endpoint.disabled",
  "endpoint.enabled",
  "endpoint.circuit_opened",
  "endpoint.circuit_closed",
  "delivery.failed",
  "source.rejected",
] as const;

export interface Completion {
  id: string;
  endpointId: string;
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
  /** Claimed while its endpoint was failing: a success may close the endpoint's circuit. */
  failing?: boolean;
}

/** What a completion changed that operators are told of (ops/notices.ts). */
export type NoticeType =
  | "endpoint.disabled"
  | "endpoint.circuit_opened"
  | "endpoint.circuit_closed"
  | "delivery.failed";

export interface Notice {
  type: NoticeType;
  endpoint_id: string;
  tenant: string | null;
  url: string;
  /** disabled: why; delivery.failed: the last error. */
  reason: string | null;
  /** When it happened (the statement's time). */
  at: Date;
  /** circuit_opened: until when; circuit_closed: the opening's, which names the event. */
  circuit_open_until: Date | null;
  consecutive_failures: number;
  delivery_id: string | null;
  event_id: string | null;
  event_type: string | null;
  attempts: number | null;
  last_status_code: number | null;
}

/**
 * Records a batch of finished attempts in one statement and returns what operators are told of:
 * endpoints it disabled, circuits it opened or closed, deliveries that failed for good (not
 * those of Herald's own notices, whose failures would announce themselves without end).
 * - A delivery is changed (re-queued, or moved to the history) only if this worker still holds
 *   that very attempt (in_flight, same worker, same attempt number); if its lease expired and another worker took it, only the
 *   attempt row is written (the try did happen). Endpoints' in_flight counters go down by the
 *   deliveries actually released.
 * - Endpoint health (the circuit breaker): a success resets consecutive failures and closes
 *   the circuit; reaching `circuitFailures` opens it for a cool-down that doubles each time a
 *   probe fails (up to the max); failing without success for `disableAfterMs`, or a 410 Gone,
 *   disables the endpoint with a reason.
 */
export interface CompleteParams {
  workerId: string;
  batch: Completion[];
  /** What the batch says about each endpoint's health (endpoints/breaker.ts). */
  breaker: BreakerInput[];
  policy: BreakerPolicy;
}

export function complete(db: Db, { workerId, batch, breaker, policy: p }: CompleteParams) {
  const col = <K extends keyof Completion>(k: K) => batch.map((c) => c[k]);
  const hcol = <K extends keyof BreakerInput>(k: K) => breaker.map((h) => h[k]);
  const flag = (k: "hadSuccess" | "gone") => breaker.map((h) => (h[k] ? 1 : 0));
  // Repeated in the SET list below: a SET expression must read the locked, current endpoint row.
  const failures = db`(case when h.had_success = 1 then h.failures else ep.consecutive_failures + h.failures end)`;
  const opening = db`(${failures} >= ${p.circuitFailures} and h.failures > 0
    and not coalesce(ep.circuit_open_until > now(), false))`;
  const cooldown = db`least(${p.circuitMaxCooldownMs}, coalesce(ep.circuit_cooldown_ms * 2, ${p.circuitCooldownMs}))`;
  const failingSince = db`(case when ${failures} = 0 then null
    when h.had_success = 1 then to_timestamp(h.first_failure_at / 1000.0)
    else coalesce(ep.failing_since, to_timestamp(h.first_failure_at / 1000.0)) end)`;
  const disable = db`(ep.enabled and (h.gone = 1 or (${failures} > 0
    and ${failingSince} <= now() - ${p.disableAfterMs} * interval '1 millisecond')))`;
  return db<Notice[]>`
    with c as (
      select * from unnest(
        ${col("id")}::text[], ${col("attempt")}::int[], ${col("status")}::text[],
        ${col("nextAttemptAt")}::float8[], ${col("startedAt")}::float8[], ${col("durationMs")}::int[],
        ${col("statusCode")}::int[], ${col("errorKind")}::text[], ${col("errorMessage")}::text[],
        ${col("responseBody")}::text[], ${col("endpointId")}::text[])
      as c(id, attempt, status, next_at, started_at, duration_ms, status_code, error_kind,
           error_message, response_body, endpoint_id)
    ),
    retried as (
      update deliveries d
      set status = 'pending',
          next_attempt_at = coalesce(to_timestamp(c.next_at / 1000.0), d.next_attempt_at),
          lease_expires_at = null, worker_id = null,
          last_status_code = c.status_code,
          last_error = coalesce(c.error_message, c.error_kind),
          updated_at = now()
      from c
      -- worker_id is set exactly while in flight (a check constraint, migration 007). The rows
      -- are looked up by primary key from the array: joined with c alone, a plan made while
      -- the table was small (statistics lag behind a queue) scanned the whole primary key for
      -- this worker's rows, every batch: ~7,000 rows read per completion after 3 s of load.
      where d.id = any(${col("id")}::text[])
        and d.id = c.id and d.worker_id = ${workerId} and d.attempts = c.attempt
        and c.status = 'pending'
      returning d.id, d.endpoint_id
    ),
    -- Finished ones leave the queue for the history (migration 009).
    finished as (
      delete from deliveries d using c
      where d.id = any(${col("id")}::text[])
        and d.id = c.id and d.worker_id = ${workerId} and d.attempts = c.attempt
        and c.status <> 'pending'
      returning d.id, d.event_seq, d.endpoint_id, c.status, d.attempts, d.next_attempt_at,
                c.status_code as last_status_code,
                coalesce(c.error_message, c.error_kind) as last_error, d.created_at,
                d.window_started_at
    ),
    archived as (${archive(db, "finished")}),
    updated as (
      select id, endpoint_id from retried union all select id, endpoint_id from finished
    ),
    logged as (
      insert into attempts (delivery_id, endpoint_id, number, started_at, duration_ms, status_code,
                            error_kind, error_message, response_body, worker_id)
      select c.id, c.endpoint_id, c.attempt, to_timestamp(c.started_at / 1000.0), c.duration_ms,
             c.status_code, c.error_kind, c.error_message, c.response_body, ${workerId}
      from c
    ),
    released as (
      select endpoint_id, count(*)::int as n from updated group by endpoint_id
    ),
    -- The endpoints as the statement found them: a circuit closes if it had opened
    -- (circuit_cooldown_ms is set when it opens and cleared by a success).
    before as (
      select id, circuit_cooldown_ms, circuit_open_until from endpoints
      where id = any(${hcol("endpointId")}::text[])
    ),
    h as (
      select * from unnest(
        ${hcol("endpointId")}::text[], ${flag("hadSuccess")}::int[], ${hcol("failures")}::int[],
        ${hcol("firstFailureAt")}::float8[], ${hcol("lastSuccessAt")}::float8[],
        ${hcol("lastFailureAt")}::float8[], ${flag("gone")}::int[])
      as h(endpoint_id, had_success, failures, first_failure_at, last_success_at, last_failure_at, gone)
    ),
    health as (
      update endpoints ep
      set in_flight = greatest(0, ep.in_flight
            - coalesce((select r.n from released r where r.endpoint_id = ep.id), 0)),
          consecutive_failures = ${failures},
          circuit_cooldown_ms = case when ${failures} = 0 then null
            when ${opening} then ${cooldown} else ep.circuit_cooldown_ms end,
          circuit_open_until = case when ${failures} = 0 then null
            when ${opening} then now() + ${cooldown} * interval '1 millisecond'
            else ep.circuit_open_until end,
          failing_since = ${failingSince},
          last_success_at = coalesce(to_timestamp(h.last_success_at / 1000.0), ep.last_success_at),
          last_failure_at = coalesce(to_timestamp(h.last_failure_at / 1000.0), ep.last_failure_at),
          enabled = case when ${disable} then false else ep.enabled end,
          disabled_reason = case when not ${disable} then ep.disabled_reason
            when h.gone = 1 then 'the endpoint answered 410 Gone'
            else 'failing without success since '
              || to_char(${failingSince} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') end,
          disabled_at = case when ${disable} then now() else ep.disabled_at end,
          -- A visible change (circuit opened or closed, endpoint disabled) bumps updated_at,
          -- which is what the live stream watches; plain counter changes do not.
          updated_at = case when ${disable} or ${opening}
              or (${failures} = 0 and ep.consecutive_failures > 0) then now()
            else ep.updated_at end
      from h
      where ep.id = h.endpoint_id
      returning ep.id, ep.tenant, ep.url, ep.enabled, ep.disabled_reason, ep.disabled_at,
                ep.circuit_open_until, ep.circuit_cooldown_ms, ep.consecutive_failures
    ),
    changed as (
      select case when not x.enabled and x.disabled_at = now() then 'endpoint.disabled' end as t1,
             case when x.circuit_open_until = now() + x.circuit_cooldown_ms * interval '1 millisecond'
                  then 'endpoint.circuit_opened' end as t2,
             case when x.consecutive_failures = 0 and b.circuit_cooldown_ms is not null
                  then 'endpoint.circuit_closed' end as t3,
             x.*, b.circuit_open_until as opened_until
      from health x join before b on b.id = x.id
    )
    select n.type, x.id as endpoint_id, x.tenant, x.url,
           case when n.type = 'endpoint.disabled' then x.disabled_reason end as reason, now() as at,
           case n.type when 'endpoint.circuit_opened' then x.circuit_open_until
                       when 'endpoint.circuit_closed' then x.opened_until end as circuit_open_until,
           x.consecutive_failures, null::text as delivery_id, null::text as event_id,
           null::text as event_type, null::int as attempts, null::int as last_status_code
    from changed x
    cross join lateral (values (x.t1), (x.t2), (x.t3)) as n(type)
    where n.type is not null
    union all
    select 'delivery.failed', f.endpoint_id, ep.tenant, ep.url, f.last_error, now(), null,
           ep.consecutive_failures, f.id, e.id, e.type, f.attempts, f.last_status_code
    from finished f
    join events e on e.seq = f.event_seq
    join endpoints ep on ep.id = f.endpoint_id
    where f.status = 'failed' and e.type <> all(${OPS_TYPES as unknown as string[]}::text[])`;
}
