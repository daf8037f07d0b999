// Replay and recovery: putting deliveries back in the queue by hand. One delivery (retry), one
// event (replay, to its endpoints or to the ones named), or every failed delivery of an
// endpoint in a time range (recover). What a re-queue does to a delivery is queue/requeue.ts;
// this module checks the request and writes the audit entry in the same transaction as the
// change. The event row is untouched, so the resend carries the same `webhook-id` and
// receivers dedupe it.
import { audit } from "../audit/log.ts";
import { andTenant, type Caller } from "../auth/access.ts";
import type { Context } from "../context.ts";
import { EVENTS_LOCK } from "../db/locks.ts";
import { checkTargets } from "../endpoints/store.ts";
import { HeraldError, notFound } from "../errors.ts";
import * as queue from "../queue/index.ts";
import { getDelivery } from "./queries.ts";

/** Failed deliveries re-queued per statement by recover: short transactions, short row locks. */
const RECOVER_BATCH = 5_000;

/**
 * `POST /v1/deliveries/:id/retry`: re-queues one delivery that has finished (succeeded, failed
 * or cancelled). A pending or in-flight delivery is a conflict; so is one whose endpoint was
 * deleted (it could never be claimed). Returns the delivery as GET /v1/deliveries/:id does.
 */
export async function retryDelivery(ctx: Context, id: string, caller: Caller) {
  await ctx.sql.begin(async (tx) => {
    const [owner] = await tx<{ tenant: string | null }[]>`
      select e.tenant from all_deliveries d join events e on e.seq = d.event_seq
      where d.id = ${id} ${andTenant(tx, caller.tenant, "e.tenant")}`;
    if (!owner) throw notFound("delivery", id);
    const [row] = await queue.retry(tx, { id });
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
      actor: caller.actor,
      action: "delivery.retried",
      subject: id,
      tenant: owner.tenant,
      details: { previous_status: row.status },
    });
  });
  return getDelivery(ctx, id, caller.tenant);
}

/**
 * `POST /v1/events/:id/replay`: re-queues the event's deliveries to every endpoint it has one
 * for (deleted endpoints skipped), or to `endpointIds` (live endpoints of the event's tenant;
 * a delivery is made where none exists). In-flight deliveries are left alone and not counted.
 */
export async function replayEvent(
  ctx: Context,
  q: { id: string; tenant?: string; endpointIds?: string[] },
  caller: Caller,
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

    const deliveries = await queue.replay(tx, { eventSeq: event.seq, endpointIds: q.endpointIds });
    await audit(tx, {
      actor: caller.actor,
      action: "event.replayed",
      subject: q.id,
      tenant: event.tenant,
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
  caller: Caller,
): Promise<{ endpoint_id: string; recovered: number }> {
  const { sql } = ctx;
  if (q.until !== undefined && q.since.getTime() > q.until.getTime()) {
    throw new HeraldError("invalid_request", "since must not be after until");
  }
  const [ep] = await sql<{ started: Date; tenant: string | null }[]>`
    select now() as started, tenant from endpoints
    where id = ${q.endpointId} and deleted_at is null ${andTenant(sql, caller.tenant)}`;
  if (!ep) throw notFound("endpoint", q.endpointId);

  // Only deliveries that had failed when the recovery began: one that fails again at once
  // (an SSRF refusal) must not keep this loop going.
  let recovered = 0;
  for (;;) {
    const n = await queue.recover(sql, {
      endpointId: q.endpointId,
      since: q.since,
      until: q.until,
      changedBy: ep.started,
      limit: RECOVER_BATCH,
    });
    recovered += n;
    // Not `n < RECOVER_BATCH`: rows changed by others meanwhile can make a batch short while
    // more remain. An empty batch is the end.
    if (n === 0) break;
  }
  await audit(sql, {
    actor: caller.actor,
    action: "endpoint.recovered",
    subject: q.endpointId,
    tenant: ep.tenant,
    details: {
      since: q.since.toISOString(),
      until: q.until?.toISOString() ?? null,
      recovered,
    },
  });
  return { endpoint_id: q.endpointId, recovered };
}
