// Re-queueing by hand (succeeded, failed or cancelled → pending): one delivery (retry), an
// event's deliveries (replay), an endpoint's failed deliveries in a time range (recover).
//
// A re-queued delivery is `pending`, due now, with a fresh retry window (window_started_at)
// and no last error; its attempt count and history stay, so attempt numbers keep increasing.
// In-flight deliveries are never touched: their worker owns them until it records the
// outcome. Each statement sends one NOTIFY when it re-queued anything.
import type { Db } from "../db/connect.ts";
import { notifyIfAny } from "./wake.ts";

/** The SET list of every re-queue (an UPDATE's, or an upsert's DO UPDATE). */
const requeueSet = (db: Db) =>
  db`status = 'pending', next_attempt_at = now(), window_started_at = now(),
     lease_expires_at = null, worker_id = null, last_status_code = null,
     last_error = null, updated_at = now()`;

/**
 * Re-queues delivery `id` if it has finished and its endpoint is not deleted. Returns its
 * status before (locked), whether its endpoint is deleted and whether it was re-queued; no row
 * when there is no such delivery.
 */
export function retry(db: Db, { id }: { id: string }) {
  return db<{ status: string; deleted: boolean; requeued: boolean }[]>`
    with target as (
      select d.id, d.status, ep.deleted_at is not null as deleted
      from deliveries d join endpoints ep on ep.id = d.endpoint_id
      where d.id = ${id}
      for update of d
    ),
    requeued as (
      update deliveries d set ${requeueSet(db)}
      from target t
      where d.id = t.id and not t.deleted and t.status in ('succeeded', 'failed', 'cancelled')
      returning d.id
    ),
    notified as (${notifyIfAny(db, "requeued")})
    select t.status, t.deleted, exists (select 1 from requeued) as requeued,
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
  const [row] = endpointIds
    ? await db<{ n: number }[]>`
        with requeued as (
          insert into deliveries (id, event_seq, endpoint_id)
          select herald_id('dlv_'), ${eventSeq}, ep.id
          from endpoints ep
          where ep.id = any(${endpointIds}::text[]) and ep.deleted_at is null
          on conflict (event_seq, endpoint_id) do update set ${requeueSet(db)}
          where deliveries.status <> 'in_flight'
          returning 1
        ),
        notified as (${notifyIfAny(db, "requeued")})
        select (select count(*)::int from requeued) as n, (select count(*) from notified) as notified`
    : await db<{ n: number }[]>`
        with requeued as (
          update deliveries d set ${requeueSet(db)}
          from endpoints ep
          where d.event_seq = ${eventSeq} and d.status <> 'in_flight'
            and ep.id = d.endpoint_id and ep.deleted_at is null
          returning 1
        ),
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
    with batch as (
      select id from deliveries
      where endpoint_id = ${q.endpointId} and status = 'failed'
        and created_at >= ${q.since}
        ${q.until !== undefined ? db`and created_at < ${q.until}` : db``}
        and updated_at <= ${q.changedBy}
      limit ${q.limit}
      for update
    ),
    requeued as (
      update deliveries d set ${requeueSet(db)}
      from batch where d.id = batch.id and d.status = 'failed'
      returning 1
    ),
    notified as (${notifyIfAny(db, "requeued")})
    select (select count(*)::int from requeued) as n, (select count(*) from notified) as notified`;
  return row?.n ?? 0;
}
