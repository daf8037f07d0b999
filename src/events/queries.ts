// Reading events back: lists (keyset-paged on seq, newest first) and one event with its deliveries.
import type { Context } from "../context.ts";
import { keysetPage } from "../db/paging.ts";
import {
  DELIVERIES,
  DELIVERY_COLUMNS,
  type DeliveryRow,
  deliveryJson,
} from "../delivery/queries.ts";
import { HeraldError, notFound } from "../errors.ts";

interface EventRow {
  seq: string;
  id: string;
  tenant: string | null;
  type: string;
  payload: string;
  source: string | null;
  content_type: string | null;
  conflicts: number;
  created_at: Date;
}

/** API events are JSON; an inbound body that is not JSON is returned as its text. */
function payloadValue(row: EventRow): unknown {
  try {
    return JSON.parse(row.payload);
  } catch {
    return row.payload;
  }
}

function eventJson(row: EventRow) {
  return {
    id: row.id,
    tenant: row.tenant,
    type: row.type,
    source: row.source,
    content_type: row.content_type ?? "application/json",
    payload: payloadValue(row),
    conflicts: row.conflicts,
    created_at: row.created_at.toISOString(),
  };
}

export async function listEvents(
  ctx: Context,
  q: { tenant?: string; type?: string; status?: string; limit: number; cursor?: string },
) {
  const { sql } = ctx;
  // A cursor is a bigint seq; a larger number would make PostgreSQL fail the query (500).
  if (q.cursor !== undefined && !(/^\d{1,19}$/.test(q.cursor) && BigInt(q.cursor) < 2n ** 63n)) {
    throw new HeraldError("invalid_request", "cursor is not one this API returned");
  }
  const rows = await sql<EventRow[]>`
    select seq, id, tenant, type, payload, source, content_type, conflicts, created_at from events
    where true
      ${q.tenant !== undefined ? sql`and tenant = ${q.tenant}` : sql``}
      ${q.type !== undefined ? sql`and type = ${q.type}` : sql``}
      ${
        q.status !== undefined
          ? sql`and exists (select 1 from all_deliveries d
                            where d.event_seq = events.seq and d.status = ${q.status})`
          : sql``
      }
      ${q.cursor !== undefined ? sql`and seq < ${q.cursor}` : sql``}
    order by seq desc limit ${q.limit + 1}`;
  return keysetPage(rows, q.limit, (r) => r.seq, eventJson);
}

export async function getEvent(ctx: Context, id: string, tenant?: string) {
  const { sql } = ctx;
  const rows = await sql<EventRow[]>`
    select seq, id, tenant, type, payload, source, content_type, conflicts, created_at from events
    where id = ${id} ${tenant !== undefined ? sql`and tenant = ${tenant}` : sql``}
    limit 2`;
  if (rows.length === 0) throw notFound("event", id);
  if (rows.length > 1) throw new HeraldError("ambiguous_event_id");
  const event = rows[0] as EventRow;
  const deliveries = await sql<DeliveryRow[]>`
    select ${sql.unsafe(DELIVERY_COLUMNS)} from ${sql.unsafe(DELIVERIES)}
    where d.event_seq = ${event.seq} order by d.id`;
  return {
    ...eventJson(event),
    // Under their event, deliveries do not repeat its id.
    deliveries: deliveries.map((d) => {
      const { event_id: _, ...json } = deliveryJson(d);
      return json;
    }),
  };
}
