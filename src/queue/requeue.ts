// Re-queueing by hand (succeeded, failed or cancelled → pending, from the history back to the
// queue): one delivery (retry), an event's deliveries (replay), an endpoint's failed deliveries
// in a time range (recover).
//
// A re-queued delivery is `pending`, due now, with a fresh retry window (window_started_at)
// and no last error; its attempt count and history stay, so attempt numbers keep increasing.
// In-flight deliveries are never touched: their worker owns them until it records the
// outcome. Each statement sends one NOTIFY when it re-queued anything.
import type { Db } from "../db/connect.ts";
import { notifyIfAny } from "./wake.ts";

/** The SET list of re-queueing a pending delivery (an UPDATE's, or an upsert's DO UPDATE). */
const requeueSet = (db: Db) =>
  db`status = 'pending', next_attempt_at = now(), window_started_at = now(),
     lease_expires_at = null, worker_id = null, last_status_code = null,
     last_error = null, updated_at = now()`;

/**
 * The rows of CTE `moved` (deleted from delivery_history, returning id, event_seq, endpoint_id,
 * attempts, created_at) put back in the queue, pending as requeueSet leaves them.
 */
const restore = (db: Db) =>
  db`insert into deliveries (id, event_seq, endpoint_id, status, attempts, next_attempt_at,
                             window_started_at, created_at, updated_at)
     select id, event_seq, endpoint_id, 'pending', attempts, now(), now(), created_at, now()
     from moved
     returning 1`;

const MOVED = "h.id, h.event_seq, h.endpoint_id, h.attempts, h.created_at";

/**
 * Re-queues delivery `id` if it has finished and its endpoint is not deleted. Returns its
 * status before, whether its endpoint is deleted and whether it was re-queued; no row when
 * there is no such delivery. Two retries at once: one re-queues it, the other finds it pending.
 */
export function retry(db: Db, { id }: { id: string }) {
  return db<{ status: string; deleted: boolean; requeued: boolean }[]>`
    with target as (
      select d.status, ep.deleted_at is not null as deleted
      from all_deliveries d join endpoints ep on ep.id = d.endpoint_id
      where d.id = ${id}
    ),
    moved as (
      delete from delivery_history h
      where h.id = ${id} and not coalesce((select deleted from target), true)
      returning ${db.unsafe(MOVED)}
    ),
    requeued as (${restore(db)}),
    notified as (${notifyIfAny(db, "requeued")})
    select case when t.status in ('succeeded', 'failed', 'cancelled') and not t.deleted
                 and not exists (select 1 from requeued) then 'pending' else t.status end as status,
           t.deleted, exists (select 1 from requeued) as requeued,
           (select count(*) from notified) as notified
    from target t`;
}

/**
 * Re-queues event `eventSeq`'s deliveries that are not in flight: to every live endpoint it has
 * one for, or, with `endpointIds`, to those endpoints (live ones only), making a delivery
 * where none exists. Returns how many were re-queued or made.
 */
export async function replay(
  db: Db,
  { eventSeq, endpointIds }: { eventSeq: string; endpointIds?: string[] },
): Promise<number> {
  const targets = endpointIds
    ? db`select id from endpoints where id = any(${endpointIds}::text[]) and deleted_at is null`
    : db`select endpoint_id as id from all_deliveries where event_seq = ${eventSeq}
         intersect select id from endpoints where deleted_at is null`;
  const [row] = await db<{ n: number }[]>`
    with targets as (${targets}),
    moved as (
      delete from delivery_history h using targets t
      where h.event_seq = ${eventSeq} and h.endpoint_id = t.id
      returning ${db.unsafe(MOVED)}
    ),
    restored as (${restore(db)}),
    -- Pending ones are made due now; targets with no delivery at all get one.
    queued as (
      insert into deliveries (id, event_seq, endpoint_id)
      select herald_id('dlv_'), ${eventSeq}, t.id from targets t
      where not exists (
        select 1 from delivery_history h where h.event_seq = ${eventSeq} and h.endpoint_id = t.id)
      on conflict (event_seq, endpoint_id) do update set ${requeueSet(db)}
      where deliveries.status <> 'in_flight'
      returning 1
    ),
    requeued as (select 1 from restored union all select 1 from queued),
    notified as (${notifyIfAny(db, "requeued")})
    select (select count(*)::int from requeued) as n, (select count(*) from notified) as notified`;
  return row?.n ?? 0;
}

export interface RecoverBatch {
  endpointId: string;
  /** Deliveries created in [since, until). */
  since: Date;
  until?: Date;
  /** Only deliveries whose last change is at or before this (those that had failed when the recovery began). */
  changedBy: Date;
  limit: number;
}

/** Re-queues up to `limit` failed deliveries of an endpoint; returns how many. */
export async function recover(db: Db, q: RecoverBatch): Promise<number> {
  const [row] = await db<{ n: number }[]>`
    with moved as (
      delete from delivery_history h
      where h.id = any(array(
          select id from delivery_history
          where endpoint_id = ${q.endpointId} and status = 'failed'
            and created_at >= ${q.since}
            ${q.until !== undefined ? db`and created_at < ${q.until}` : db``}
            and updated_at <= ${q.changedBy}
          limit ${q.limit}))
        and h.status = 'failed' and h.updated_at <= ${q.changedBy}
      returning ${db.unsafe(MOVED)}
    ),
    requeued as (${restore(db)}),
    notified as (${notifyIfAny(db, "requeued")})
    select (select count(*)::int from requeued) as n, (select count(*) from notified) as notified`;
  return row?.n ?? 0;
}
