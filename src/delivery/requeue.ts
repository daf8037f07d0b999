// Replay and recovery: putting deliveries back in the queue by hand. One delivery (retry), one
// event (replay, to its endpoints or to the ones named), or every failed delivery of an
// endpoint in a time range (recover).
//
// A re-queued delivery is `pending`, due now, with a fresh retry window (window_started_at)
// and no last error; its attempt count and attempt history stay, so attempt numbers keep
// increasing. The event row is untouched, so the resend carries the same `webhook-id` and
// receivers dedupe it. In-flight deliveries are never touched: their worker owns them until
// it records the outcome. Every statement that re-queues something sends one NOTIFY, and each
// action is written to the audit log in the same transaction as the change.
import { type Actor, audit } from "../audit/log.ts";
import type { Context } from "../context.ts";
import { EVENTS_LOCK } from "../db/locks.ts";
import { checkTargets } from "../endpoints/store.ts";
import { HeraldError, notFound } from "../errors.ts";
import { DELIVERIES_CHANNEL } from "../events/ingest.ts";
import { getDelivery } from "./queries.ts";

/** Failed deliveries re-queued per statement by recover: short transactions, short row locks. */
const RECOVER_BATCH = 5_000;

/**
 * `POST /v1/deliveries/:id/retry`: re-queues one delivery that has finished (succeeded, failed
 * or cancelled). A pending or in-flight delivery is a conflict; so is one whose endpoint was
 * deleted (it could never be claimed). Returns the delivery as GET /v1/deliveries/:id does.
 */
export async function retryDelivery(ctx: Context, id: string, actor: Actor) {
  await ctx.sql.begin(async (tx) => {
    const [row] = await tx<{ status: string; deleted: boolean; requeued: boolean }[]>`
      with target as (
        select d.id, d.status, ep.deleted_at is not null as deleted
        from deliveries d join endpoints ep on ep.id = d.endpoint_id
        where d.id = ${id}
        for update of d
      ),
      requeued as (
        update deliveries d
        set status = 'pending', next_attempt_at = now(), window_started_at = now(),
            lease_expires_at = null, worker_id = null, last_status_code = null,
            last_error = null, updated_at = now()
        from target t
        where d.id = t.id and not t.deleted and t.status in ('succeeded', 'failed', 'cancelled')
        returning d.id
      ),
      notified as (
        select pg_notify(${DELIVERIES_CHANNEL}, '') from (select 1 from requeued limit 1) any_requeued
      )
      select t.status, t.deleted, exists (select 1 from requeued) as requeued,
             (select count(*) from notified) as notified
      from target t`;
    if (!row) throw notFound("delivery", id);
    if (row.deleted) {
      throw new HeraldError(
        "endpoint_deleted",
        `The endpoint of delivery ${id} is deleted; it cannot be retried.`,
      );
    }
    if (!row.requeued) {
      throw new HeraldError(
        "delivery_not_terminal",
        `Delivery ${id} is ${row.status}; only succeeded, failed or cancelled deliveries can be retried.`,
      );
    }
    await audit(tx, {
      actor,
      action: "delivery.retried",
      subject: id,
      details: { previous_status: row.status },
    });
  });
  return getDelivery(ctx, id);
}

/**
 * `POST /v1/events/:id/replay`: re-queues the event's deliveries to every endpoint it has one
 * for (deleted endpoints skipped), or to `endpointIds` (live endpoints of the event's tenant;
 * a delivery is made where none exists). In-flight deliveries are left alone and not counted.
 */
export async function replayEvent(
  ctx: Context,
  q: { id: string; tenant?: string; endpointIds?: string[] },
  actor: Actor,
): Promise<{ event_id: string; deliveries: number }> {
  return ctx.sql.begin(async (tx) => {
    // Retention deletes events with no deliveries under the exclusive form of this lock: with
    // the shared form held, the event found below cannot be purged before our rows commit.
    await tx`select pg_advisory_xact_lock_shared(${EVENTS_LOCK})`;
    const events = await tx<{ seq: string; tenant: string | null }[]>`
      select seq, tenant from events
      where id = ${q.id} ${q.tenant !== undefined ? tx`and tenant = ${q.tenant}` : tx``}
      limit 2`;
    if (events.length === 0) throw notFound("event", q.id);
    if (events.length > 1) throw new HeraldError("ambiguous_event_id");
    const event = events[0] as { seq: string; tenant: string | null };
    if (q.endpointIds) await checkTargets(ctx, q.endpointIds, event.tenant);

    const [row] = q.endpointIds
      ? await tx<{ n: number }[]>`
          with requeued as (
            insert into deliveries (id, event_seq, endpoint_id)
            select herald_id('dlv_'), ${event.seq}, ep.id
            from endpoints ep
            where ep.id = any(${q.endpointIds}::text[]) and ep.deleted_at is null
            on conflict (event_seq, endpoint_id) do update
            set status = 'pending', next_attempt_at = now(), window_started_at = now(),
                lease_expires_at = null, worker_id = null, last_status_code = null,
                last_error = null, updated_at = now()
            where deliveries.status <> 'in_flight'
            returning 1
          ),
          notified as (
            select pg_notify(${DELIVERIES_CHANNEL}, '') from (select 1 from requeued limit 1) any_requeued
          )
          select (select count(*)::int from requeued) as n, (select count(*) from notified) as notified`
      : await tx<{ n: number }[]>`
          with requeued as (
            update deliveries d
            set status = 'pending', next_attempt_at = now(), window_started_at = now(),
                lease_expires_at = null, worker_id = null, last_status_code = null,
                last_error = null, updated_at = now()
            from endpoints ep
            where d.event_seq = ${event.seq} and d.status <> 'in_flight'
              and ep.id = d.endpoint_id and ep.deleted_at is null
            returning 1
          ),
          notified as (
            select pg_notify(${DELIVERIES_CHANNEL}, '') from (select 1 from requeued limit 1) any_requeued
          )
          select (select count(*)::int from requeued) as n, (select count(*) from notified) as notified`;
    const deliveries = row?.n ?? 0;
    await audit(tx, {
      actor,
      action: "event.replayed",
      subject: q.id,
      details: {
        tenant: event.tenant,
        deliveries,
        ...(q.endpointIds ? { endpoint_ids: q.endpointIds } : {}),
      },
    });
    return { event_id: q.id, deliveries };
  });
}

/**
 * `POST /v1/endpoints/:id/recover`: re-queues every failed delivery of a live endpoint created
 * in [since, until). Works in batches of RECOVER_BATCH rows, each its own short statement with
 * one NOTIFY, so a recovery of millions never holds one long transaction; the audit entry with
 * the total is written once the last batch is in. A delivery retried or recovered by someone
 * else meanwhile is no longer failed and is simply not counted twice.
 */
export async function recoverEndpoint(
  ctx: Context,
  q: { endpointId: string; since: Date; until?: Date },
  actor: Actor,
): Promise<{ endpoint_id: string; recovered: number }> {
  const { sql } = ctx;
  if (q.until !== undefined && q.since.getTime() > q.until.getTime()) {
    throw new HeraldError("invalid_request", "since must not be after until");
  }
  const [ep] = await sql<{ started: Date }[]>`
    select now() as started from endpoints where id = ${q.endpointId} and deleted_at is null`;
  if (!ep) throw notFound("endpoint", q.endpointId);

  // Only deliveries that had failed when the recovery began: one that fails again at once
  // (an SSRF refusal) must not keep this loop going.
  let recovered = 0;
  for (;;) {
    const [row] = await sql<{ n: number }[]>`
      with batch as (
        select id from deliveries
        where endpoint_id = ${q.endpointId} and status = 'failed'
          and created_at >= ${q.since}
          ${q.until !== undefined ? sql`and created_at < ${q.until}` : sql``}
          and updated_at <= ${ep.started}
        limit ${RECOVER_BATCH}
        for update
      ),
      requeued as (
        update deliveries d
        set status = 'pending', next_attempt_at = now(), window_started_at = now(),
            lease_expires_at = null, worker_id = null, last_status_code = null,
            last_error = null, updated_at = now()
        from batch where d.id = batch.id and d.status = 'failed'
        returning 1
      ),
      notified as (
        select pg_notify(${DELIVERIES_CHANNEL}, '') from (select 1 from requeued limit 1) any_requeued
      )
      select (select count(*)::int from requeued) as n, (select count(*) from notified) as notified`;
    const n = row?.n ?? 0;
    recovered += n;
    // Not `n < RECOVER_BATCH`: rows changed by others meanwhile can make a batch short while
    // more remain. An empty batch is the end.
    if (n === 0) break;
  }
  await audit(sql, {
    actor,
    action: "endpoint.recovered",
    subject: q.endpointId,
    details: {
      since: q.since.toISOString(),
      until: q.until?.toISOString() ?? null,
      recovered,
    },
  });
  return { endpoint_id: q.endpointId, recovered };
}
